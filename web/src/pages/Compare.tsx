import { useEffect, useState } from "react";
import { ReportLink } from "../components/Fields";
import { ApiError, api } from "../lib/api";
import { useI18n } from "../lib/i18n";
import type { Interview, PostingDetail, Report } from "../lib/types";

interface Row {
  interview: Interview;
  report: Report | null;
}

/** The candidates of one posting side by side: overall and per-dimension scores, best first. */
export function Compare({ postingId }: { postingId: number }) {
  const { t } = useI18n();
  const [posting, setPosting] = useState<PostingDetail | null>(null);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    (async () => {
      try {
        setPosting(await api.get<PostingDetail>(`/job-postings/${postingId}`));
        const interviews = await api.get<Interview[]>(`/interviews?posting=${postingId}&status=completed&limit=200`);
        const found = await Promise.all(
          interviews.map(async (interview) => ({
            interview,
            report: await api.get<Report>(`/interviews/${interview.id}/report`).catch(() => null),
          })),
        );
        found.sort((a, b) => (b.interview.overall_score ?? -1) - (a.interview.overall_score ?? -1));
        setRows(found);
      } catch (caught) {
        setError(caught instanceof ApiError ? caught.message : String(caught));
      }
    })();
  }, [postingId]);

  const score = (value: number | null | undefined) => (value == null ? "—" : Math.round(value));
  return (
    <section className="card">
      <h1>
        {t("compare")}: {posting?.title ?? "…"}
      </h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {rows?.length === 0 && <p className="muted">{t("noCompleted")}</p>}
      {rows && rows.length > 0 && (
        <table className="table compare" data-testid="compare">
          <thead>
            <tr>
              <th scope="col">{t("candidate")}</th>
              <th scope="col">{t("overall")}</th>
              <th scope="col">{t("technical")}</th>
              <th scope="col">{t("communication")}</th>
              <th scope="col">{t("culturalFit")}</th>
              <th scope="col">{t("answered")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {rows.map(({ interview, report }) => (
              <tr key={interview.id}>
                <td>#{interview.candidate_id}</td>
                <td>
                  <strong>{score(interview.overall_score)}</strong>
                </td>
                <td>{score(report?.technical_score)}</td>
                <td>{score(report?.communication_score)}</td>
                <td>{score(report?.cultural_fit_score)}</td>
                <td>
                  {report?.details_json?.answered ?? "—"}/{report?.details_json?.planned ?? interview.question_count}
                </td>
                <td>
                  <ReportLink interviewId={interview.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
