import { useCallback, useEffect, useState, type FormEvent } from "react";
import { LanguageField } from "../components/Fields";
import { DeleteInterviewButton, RetentionNote, ShareToggle, YourData } from "../components/Privacy";
import { ApiError, api } from "../lib/api";
import { useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";
import type { Interview, Posting } from "../lib/types";

const POLL_MS = 2000;

export function Interviews() {
  const { t } = useI18n();
  const [interviews, setInterviews] = useState<Interview[] | null>(null);
  const [postings, setPostings] = useState<Posting[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    () =>
      api
        .get<Interview[]>("/interviews")
        .then(setInterviews)
        .catch((caught: ApiError) => setError(caught.message)),
    [],
  );

  useEffect(() => {
    load();
    api.get<Posting[]>("/job-postings").then(setPostings).catch(() => setPostings([]));
  }, [load]);

  // Questions are prepared in the background: refresh until no interview is still preparing.
  useEffect(() => {
    if (!interviews?.some((interview) => interview.status === "preparing")) return;
    const timer = setTimeout(load, POLL_MS);
    return () => clearTimeout(timer);
  }, [interviews, load]);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const posting = String(form.get("job_posting_id") ?? "");
    setBusy(true);
    setError(null);
    try {
      await api.post<Interview>("/interviews", {
        position: String(form.get("position") ?? ""),
        job_posting_id: posting ? Number(posting) : null,
        language: form.get("language"),
        question_count: Number(form.get("question_count")),
        mode: form.get("mode"),
        emotion_consent: form.get("emotion_consent") === "on",
      });
      event.currentTarget?.reset();
      await load();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <section className="card">
        <h1>{t("newInterview")}</h1>
        <form onSubmit={create} className="grid-form">
          <label>
            {t("position")}
            <input name="position" required maxLength={255} placeholder="Backend Engineer" />
          </label>
          <label>
            {t("posting")}
            <select name="job_posting_id" defaultValue="">
              <option value="">{t("noPosting")}</option>
              {postings.map((posting) => (
                <option key={posting.id} value={posting.id}>
                  {posting.title}
                  {posting.company ? ` — ${posting.company}` : ""}
                </option>
              ))}
            </select>
          </label>
          <LanguageField voiceNote />
          <label>
            {t("questionCount")}
            <input name="question_count" type="number" min={1} max={20} defaultValue={5} required />
          </label>
          <label>
            {t("mode")}
            <select name="mode" defaultValue="practice">
              <option value="practice">{t("practice")}</option>
              <option value="screening">{t("screening")}</option>
            </select>
          </label>
          <div className="consent">
            <label className="check">
              <input type="checkbox" name="emotion_consent" aria-describedby="consent-help" /> {t("consent")}
            </label>
            <p id="consent-help" className="muted small">
              {t("consentHelp")}
            </p>
          </div>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy}>
            {busy ? t("creating") : t("create")}
          </button>
        </form>
      </section>
      <section className="card">
        <h2>{t("myInterviews")}</h2>
        {interviews === null && <p>{t("loading")}</p>}
        {interviews?.length === 0 && <p className="muted">{t("noInterviews")}</p>}
        <ul className="list" aria-label={t("myInterviews")}>
          {interviews?.map((interview) => (
            <li key={interview.id} data-testid={`interview-${interview.id}`}>
              <div>
                <strong>{interview.position}</strong>
                <span className="muted small">
                  {" "}
                  · {t(interview.mode)} · {interview.language.toUpperCase()} · {interview.question_count}
                </span>
                <div className={`badge ${interview.status}`}>
                  {interview.status === "preparing" ? t("preparing") : interview.status}
                </div>
                {interview.plan_error && <p className="error small">{interview.plan_error}</p>}
                <ShareToggle
                  interview={interview}
                  onChange={(next) => setInterviews((list) => list?.map((i) => (i.id === next.id ? next : i)) ?? null)}
                />
              </div>
              {(interview.status === "scheduled" || interview.status === "live") && (
                <button onClick={() => navigate(`/interviews/${interview.id}/check`)}>{t("start")}</button>
              )}
              {interview.status === "completed" && (
                <button className="secondary" onClick={() => navigate(`/interviews/${interview.id}/report`)}>
                  {t("report")}
                </button>
              )}
              <DeleteInterviewButton interviewId={interview.id} onDeleted={() => void load()} />
            </li>
          ))}
        </ul>
        <RetentionNote />
      </section>
      <YourData />
    </>
  );
}
