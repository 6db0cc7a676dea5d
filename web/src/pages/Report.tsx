import { useCallback, useEffect, useState } from "react";
import { AnswerFlags, NotesPanel, OverrideForm, OverrideNotes } from "../components/AnswerReview";
import { ExpressionTimeline } from "../components/ExpressionTimeline";
import { AccessLog } from "../components/Privacy";
import { AnswerScores, ScoreBars } from "../components/ScoreBars";
import { ApiError, api, privacy } from "../lib/api";
import { useAuth } from "../lib/auth";
import { highlight } from "../lib/highlight";
import { useI18n } from "../lib/i18n";
import { effectiveScores } from "../lib/review";
import type { Evaluation, Interview, QuestionDetail, Report as ReportData } from "../lib/types";
import { RECONNECTED, useInterviewEvents } from "../lib/useInterviewEvents";

export function Report({ interviewId }: { interviewId: number }) {
  const { t } = useI18n();
  const { user } = useAuth();
  // Recruiters and admins review answers (override a score, keep notes); the API refuses candidates anyway.
  const reviewer = user?.role === "recruiter" || user?.role === "admin";
  const [interview, setInterview] = useState<Interview | null>(null);
  const [report, setReport] = useState<ReportData | null>(null);
  const [evaluations, setEvaluations] = useState<Evaluation[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setInterview(await api.get<Interview>(`/interviews/${interviewId}`));
      setEvaluations(await api.get<Evaluation[]>(`/interviews/${interviewId}/evaluations`));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
      return;
    }
    try {
      setReport(await api.get<ReportData>(`/interviews/${interviewId}/report`));
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.status === 404)) setError(String((caught as Error).message)); // 404: not built yet
    }
  }, [interviewId]);

  useEffect(() => {
    void load();
  }, [load]);

  // The report fills in live: every stored score or a rebuilt report refreshes the page.
  useInterviewEvents(interviewId, (type) => {
    if (["evaluation.stored", "report.ready", "status.changed", RECONNECTED].includes(type)) void load();
  });

  if (error) {
    return (
      <p role="alert" className="error card">
        {error}
      </p>
    );
  }
  if (!interview) return <p className="card">{t("loading")}</p>;

  const candidate = user?.id === interview.candidate_id;
  const details = report?.details_json ?? null;
  const byOrder = new Map(evaluations.map((e) => [e.question_order, e]));
  const questions: QuestionDetail[] =
    details?.questions ??
    evaluations.map((e) => ({
      order: e.question_order,
      question: e.question,
      category: "",
      status: e.status,
      answer: "",
      scores:
        e.status === "scored"
          ? { technical: e.technical_score, communication: e.communication_score, depth: e.depth_score }
          : null,
      feedback: e.feedback,
      evidence: e.evidence,
      rationale: "",
      follow_up: false,
    }));

  return (
    <article className="report">
      <header className="card">
        <div className="title-row">
          <h1>
            {t("reportTitle")}: {interview.position}
          </h1>
          <button className="secondary no-print" onClick={() => window.print()}>
            {t("print")}
          </button>
        </div>
        {!report && <p className="banner">{t("reportPending")}</p>}
        {details?.partial && <p className="banner warn">{t("partial")}</p>}
        {report && (
          <div className="overall" data-testid="overall-score">
            <span className="big">{report.overall_score == null ? "—" : Math.round(report.overall_score)}</span>
            <span className="muted"> / 100 {t("overall")}</span>
          </div>
        )}
        {report && (
          <ScoreBars
            label={t("scores")}
            scores={[
              [t("technical"), report.technical_score],
              [t("communication"), report.communication_score],
              [t("culturalFit"), report.cultural_fit_score],
            ]}
          />
        )}
        {report?.summary_text && (
          <>
            <h2>{t("summary")}</h2>
            <p className="summary">{report.summary_text}</p>
          </>
        )}
      </header>
      {questions.map((question, i) => {
        const evaluation = byOrder.get(question.order);
        // The evaluation carries the scores that count now (a recruiter's override included); the report's copy
        // may be one rebuild behind.
        const scores = evaluation?.status === "scored" ? effectiveScores(evaluation) : question.scores;
        return (
          <section key={i} className="card question-card" data-testid="question-card">
            <h2>
              {question.follow_up ? `${t("followUp")}: ` : `${i + 1}. `}
              {question.question}
            </h2>
            {question.answer && (
              <blockquote aria-label={t("yourAnswer")}>
                {highlight(question.answer, question.evidence).map((part, j) =>
                  part.quoted ? <mark key={j}>{part.text}</mark> : <span key={j}>{part.text}</span>,
                )}
              </blockquote>
            )}
            {question.thinking_ms != null && (
              <p className="muted" data-testid="thinking-time">
                {t("thinkingTime")}: {(question.thinking_ms / 1000).toFixed(1)} s
              </p>
            )}
            {evaluation && <AnswerFlags flags={evaluation.flags} />}
            {scores ? (
              <AnswerScores {...scores} />
            ) : (
              <p className="muted">{question.rationale || t("notScored")}</p>
            )}
            {evaluation && <OverrideNotes evaluation={evaluation} />}
            {question.feedback && (
              <p>
                <b>{t("feedback")}:</b> {question.feedback}
              </p>
            )}
            {evaluation?.improvement_criterion && (
              <p className="muted small">{t("improveOn", { criterion: evaluation.improvement_criterion })}</p>
            )}
            {reviewer && evaluation && (
              <div className="review no-print" data-testid="answer-review">
                <h3 className="review-title">{t("review")}</h3>
                <div className="review-grid">
                  {evaluation.status === "scored" && (
                    <OverrideForm evaluation={evaluation} onSaved={() => void load()} />
                  )}
                  <NotesPanel evaluationId={evaluation.id} />
                </div>
              </div>
            )}
          </section>
        );
      })}
      {details?.speech && (
        <section className="card">
          <h2>{t("speech")}</h2>
          <dl className="metrics">
            <dt>{t("wordsPerMinute")}</dt>
            <dd>{details.speech.words_per_minute?.toFixed(0) ?? "—"}</dd>
            <dt>{t("fillers")}</dt>
            <dd>{details.speech.filler_count}</dd>
            <dt>{t("longPauses")}</dt>
            <dd>{details.speech.long_pauses}</dd>
            <dt>{t("talkRatio")}</dt>
            <dd>{details.speech.talk_ratio == null ? "—" : `${Math.round(details.speech.talk_ratio * 100)}%`}</dd>
          </dl>
        </section>
      )}
      {/* Coaching for the candidate only: the API leaves it out for everyone else, and so does the page. */}
      {candidate && interview.emotion_consent && details?.expression && details.expression.timeline.length > 0 && (
        <section className="card">
          <h2>{t("expression")}</h2>
          <ExpressionTimeline expression={details.expression} label={t("expression")} />
          <p className="muted small">{t("expressionOnlyYou")}</p>
          <button
            className="secondary no-print"
            onClick={() => {
              if (!window.confirm(t("confirmWithdrawConsent"))) return;
              privacy
                .withdrawConsent(interviewId)
                .then(() => load())
                .catch((caught: Error) => setError(caught.message));
            }}
          >
            {t("withdrawConsent")}
          </button>
        </section>
      )}
      {candidate && <AccessLog interviewId={interviewId} />}
    </article>
  );
}
