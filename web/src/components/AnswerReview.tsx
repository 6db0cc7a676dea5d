/** One answer's review on the report page: the worker's flags (everyone), who overrode which score (recruiters and
 * admins: the API sends candidates no overrides), and the recruiter's override form and private notes. */
import { type FormEvent, useState } from "react";
import { ApiError, api } from "../lib/api";
import { useI18n } from "../lib/i18n";
import { DIMENSIONS, flagSentence, latestOverrides, shortDate } from "../lib/review";
import type { AnswerNote, Evaluation, EvaluationFlag } from "../lib/types";
import { useResource } from "../lib/useResource";

export function AnswerFlags({ flags }: { flags: EvaluationFlag[] }) {
  const { t } = useI18n();
  if (flags.length === 0) return null;
  return (
    <ul className="flags" aria-label={t("flagsLabel")}>
      {flags.map((flag, i) => (
        <li key={i} className={`flag ${flag.kind}`} data-testid="answer-flag">
          {flagSentence(flag, t)}
        </li>
      ))}
    </ul>
  );
}

/** "Technical 12: overridden by alice on 29 Nov 2026: … (model gave 85)", one line per overridden dimension. */
export function OverrideNotes({ evaluation }: { evaluation: Evaluation }) {
  const { t, language } = useI18n();
  const latest = latestOverrides(evaluation.overrides);
  const shown = DIMENSIONS.filter((dimension) => latest[dimension]);
  if (shown.length === 0) return null;
  return (
    <ul className="override-notes">
      {shown.map((dimension) => {
        const override = latest[dimension]!;
        return (
          <li key={dimension} data-testid="override-note">
            <b>
              {t(dimension)} {Math.round(override.score)}
            </b>{" "}
            {t("overriddenBy", {
              name: override.author,
              date: shortDate(override.created_at, language),
              reason: override.reason,
              model: override.model_score == null ? "—" : Math.round(override.model_score),
            })}
          </li>
        );
      })}
    </ul>
  );
}

export function OverrideForm({ evaluation, onSaved }: { evaluation: Evaluation; onSaved: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setError(null);
    setSaved(false);
    try {
      await api.post<Evaluation>(`/evaluations/${evaluation.id}/overrides`, {
        dimension: form.get("dimension"),
        score: Number(form.get("score")),
        reason: String(form.get("reason") ?? ""),
      });
      formElement.reset();
      setSaved(true);
      onSaved();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  }

  return (
    <form className="override-form" onSubmit={submit} aria-label={t("overrideScore")}>
      <h3>{t("overrideScore")}</h3>
      <div className="override-fields">
        <label>
          {t("dimension")}
          <select name="dimension" defaultValue="technical">
            {DIMENSIONS.map((dimension) => (
              <option key={dimension} value={dimension}>
                {t(dimension)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("newScore")}
          <input name="score" type="number" min={0} max={100} step={1} required />
        </label>
      </div>
      <label>
        {t("reason")}
        <input name="reason" required minLength={3} maxLength={1000} placeholder={t("reasonPlaceholder")} />
      </label>
      <button type="submit">{t("saveOverride")}</button>
      {error && (
        <p role="alert" className="error small">
          {error}
        </p>
      )}
      {saved && (
        <p role="status" className="muted small">
          {t("overrideSaved")}
        </p>
      )}
    </form>
  );
}

export function NotesPanel({ evaluationId }: { evaluationId: number }) {
  const { t, language } = useI18n();
  const { value: notes, error, setError, reload } = useResource<AnswerNote[]>(`/evaluations/${evaluationId}/notes`);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    setError(null);
    try {
      await api.post<AnswerNote>(`/evaluations/${evaluationId}/notes`, {
        text: String(new FormData(formElement).get("text") ?? ""),
      });
      formElement.reset();
      await reload();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  }

  return (
    <section className="notes" aria-label={t("privateNotes")} data-testid="private-notes">
      <h3>{t("privateNotes")}</h3>
      {notes && notes.length === 0 && <p className="muted small">{t("noNotes")}</p>}
      <ol>
        {notes?.map((note) => (
          <li key={note.id}>
            <span className="muted small">
              {note.author} · {shortDate(note.created_at, language)}
            </span>
            <p>{note.text}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={add}>
        <textarea
          name="text"
          rows={2}
          required
          maxLength={4000}
          aria-label={t("note")}
          placeholder={t("notePlaceholder")}
        />
        <button type="submit" className="secondary">
          {t("addNote")}
        </button>
      </form>
      {error && (
        <p role="alert" className="error small">
          {error}
        </p>
      )}
    </section>
  );
}
