import { useEffect, useState } from "react";
import { ReportLink } from "../components/Fields";
import { ApiError, api } from "../lib/api";
import { useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";
import type { Interview } from "../lib/types";

const REFRESH_MS = 5000;

/** Recruiters: the interviews they may see, live ones first with "Observe", finished ones with their report. */
export function Live() {
  const { t } = useI18n();
  const [interviews, setInterviews] = useState<Interview[] | null>(null);
  const [status, setStatus] = useState<string>("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let timer = 0;
    const load = () =>
      api
        .get<Interview[]>(`/interviews${status ? `?status=${status}` : ""}`)
        .then((found) => {
          setInterviews(found);
          setError(null);
        })
        .catch((caught: ApiError) => setError(caught.message))
        .finally(() => (timer = window.setTimeout(load, REFRESH_MS)));
    void load();
    return () => clearTimeout(timer);
  }, [status]);

  const live = interviews?.filter((interview) => interview.status === "live" || interview.status === "scheduled") ?? [];
  const rest = interviews?.filter((interview) => !live.includes(interview)) ?? [];
  return (
    <>
      <section className="card">
        <h1>{t("live")}</h1>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {interviews !== null && live.length === 0 && <p className="muted">{t("noLive")}</p>}
        <ul className="list">
          {live.map((interview) => (
            <li key={interview.id} data-testid={`live-${interview.id}`}>
              <div>
                <strong>{interview.position}</strong> <span className={`badge ${interview.status}`}>{interview.status}</span>
              </div>
              <button onClick={() => navigate(`/observe/${interview.id}`)}>{t("observe")}</button>
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <div className="title-row">
          <h2>{t("interviews")}</h2>
          <select value={status} onChange={(event) => setStatus(event.target.value)} aria-label={t("status")}>
            <option value="">—</option>
            {["scheduled", "live", "completed", "cancelled", "failed"].map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
        <table className="table">
          <tbody>
            {rest.map((interview) => (
              <tr key={interview.id}>
                <td>{interview.position}</td>
                <td>{interview.status}</td>
                <td>{interview.overall_score?.toFixed(1) ?? "—"}</td>
                <td>
                  {interview.status === "completed" && (
                    <ReportLink interviewId={interview.id} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
