import { useState, type FormEvent } from "react";
import { LanguageField } from "../components/Fields";
import { ApiError, api } from "../lib/api";
import { useI18n } from "../lib/i18n";
import { type Criterion, evenWeights, rubricProblems } from "../lib/rubric";
import type { Question } from "../lib/types";
import { useResource } from "../lib/useResource";

const CATEGORIES = ["technical", "behavioral", "situational", "cultural_fit"] as const;
const STARTING_RUBRIC: Criterion[] = [
  { name: "Correctness", description: "Technically accurate statements and sound reasoning", weight: 0.5 },
  { name: "Clarity", description: "Structured, concrete explanation with examples", weight: 0.5 },
];

/** Recruiters: the question bank, and a new question with its rubric (criteria, weights, expected points). */
export function Bank() {
  const { t } = useI18n();
  const { value: questions, error, setError, reload: load } = useResource<Question[]>("/questions?limit=200");
  const [criteria, setCriteria] = useState<Criterion[]>(STARTING_RUBRIC);
  const [saved, setSaved] = useState<string | null>(null);
  const problems = rubricProblems(criteria);

  const change = (index: number, patch: Partial<Criterion>) =>
    setCriteria(criteria.map((criterion, i) => (i === index ? { ...criterion, ...patch } : criterion)));

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setError(null);
    setSaved(null);
    try {
      const created = await api.post<Question>("/questions", {
        content: String(form.get("content") ?? ""),
        category: form.get("category"),
        difficulty: form.get("difficulty"),
        language: form.get("language"),
        position: String(form.get("position") ?? "") || null,
        rubric_json: {
          criteria,
          expected_points: String(form.get("expected_points") ?? "")
            .split("\n")
            .map((line) => line.trim())
            .filter(Boolean),
        },
      });
      formElement.reset();
      setCriteria(STARTING_RUBRIC);
      setSaved(created.content);
      await load();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  }

  return (
    <>
      <section className="card">
        <h1>{t("newQuestion")}</h1>
        <form onSubmit={create} className="grid-form">
          <label className="wide">
            {t("questionText")}
            <textarea name="content" required maxLength={2000} rows={2} />
          </label>
          <label>
            {t("category")}
            <select name="category" defaultValue="technical">
              {CATEGORIES.map((category) => (
                <option key={category} value={category}>
                  {category}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("difficulty")}
            <select name="difficulty" defaultValue="medium">
              {["easy", "medium", "hard"].map((difficulty) => (
                <option key={difficulty}>{difficulty}</option>
              ))}
            </select>
          </label>
          <LanguageField />
          <label>
            {t("position")}
            <input name="position" maxLength={255} />
          </label>
          <fieldset className="wide rubric">
            <legend>{t("rubric")}</legend>
            {criteria.map((criterion, index) => (
              <div key={index} className="criterion">
                <input
                  aria-label={`${t("criterion")} ${index + 1}`}
                  value={criterion.name}
                  placeholder={t("criterion")}
                  onChange={(event) => change(index, { name: event.target.value })}
                />
                <input
                  aria-label={`${t("criterionDescription")} ${index + 1}`}
                  value={criterion.description}
                  placeholder={t("criterionDescription")}
                  onChange={(event) => change(index, { description: event.target.value })}
                />
                <input
                  aria-label={`${t("weight")} ${index + 1}`}
                  type="number"
                  min={0.01}
                  max={1}
                  step={0.01}
                  value={criterion.weight}
                  onChange={(event) => change(index, { weight: Number(event.target.value) })}
                />
                <button
                  type="button"
                  className="secondary"
                  aria-label={`${t("remove")} ${index + 1}`}
                  onClick={() => setCriteria(criteria.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              </div>
            ))}
            <div className="actions">
              <button
                type="button"
                className="secondary"
                disabled={criteria.length >= 10}
                onClick={() => setCriteria(evenWeights([...criteria, { name: "", description: "", weight: 0 }]))}
              >
                {t("addCriterion")}
              </button>
              <button type="button" className="secondary" onClick={() => setCriteria(evenWeights(criteria))}>
                {t("evenWeights")}
              </button>
            </div>
            {problems.length > 0 && (
              <ul className="error small" data-testid="rubric-problems">
                {problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            )}
          </fieldset>
          <label className="wide">
            {t("expectedPoints")}
            <textarea name="expected_points" rows={3} />
          </label>
          {error && (
            <p role="alert" className="error wide">
              {error}
            </p>
          )}
          {saved && (
            <p role="status" className="wide">
              {t("saved")}: {saved}
            </p>
          )}
          <button type="submit" disabled={problems.length > 0}>
            {t("saveQuestion")}
          </button>
        </form>
      </section>
      <section className="card">
        <h2>{t("questionBank")}</h2>
        {questions === null && <p>{t("loading")}</p>}
        <table className="table" data-testid="bank">
          <tbody>
            {questions?.map((question) => (
              <tr key={question.id}>
                <td>{question.content}</td>
                <td className="muted small">
                  {question.category} · {question.difficulty} · {question.language}
                </td>
                <td className="muted small">
                  {question.rubric_json.criteria?.map((c) => `${c.name} ${Math.round(c.weight * 100)}%`).join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
