import { useState, type FormEvent } from "react";
import { ApiError, api } from "../lib/api";
import { useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";
import type { PostingDetail, Question } from "../lib/types";
import { useResource } from "../lib/useResource";

const MAX_FIXED_QUESTIONS = 20;

/** Recruiters: their postings; a new posting, optionally with fixed questions from the bank (a structured screening). */
export function Postings() {
  const { t } = useI18n();
  const { value: postings, error, setError, reload: load } = useResource<PostingDetail[]>("/job-postings?mine=true");
  const questions = useResource<Question[]>("/questions?limit=200").value ?? [];
  const [chosen, setChosen] = useState<number[]>([]);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setError(null);
    try {
      await api.post("/job-postings", {
        title: String(form.get("title") ?? ""),
        company: String(form.get("company") ?? ""),
        description: String(form.get("description") ?? ""),
        requirements: String(form.get("requirements") ?? ""),
        question_ids: chosen,
      });
      formElement.reset();
      setChosen([]);
      await load();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  }

  const toggle = (id: number) =>
    setChosen(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id].slice(0, MAX_FIXED_QUESTIONS));

  return (
    <>
      <section className="card">
        <h1>{t("newPosting")}</h1>
        <form onSubmit={create} className="grid-form">
          <label>
            {t("title")}
            <input name="title" required maxLength={255} />
          </label>
          <label>
            {t("company")}
            <input name="company" maxLength={255} />
          </label>
          <label className="wide">
            {t("description")}
            <textarea name="description" rows={3} />
          </label>
          <label className="wide">
            {t("requirements")}
            <textarea name="requirements" rows={2} />
          </label>
          <fieldset className="wide">
            <legend>
              {t("fixedQuestions")} ({chosen.length}/{MAX_FIXED_QUESTIONS})
            </legend>
            <div className="choices">
              {questions.map((question) => (
                <label key={question.id} className="check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(question.id)}
                    onChange={() => toggle(question.id)}
                  />
                  {question.content}
                </label>
              ))}
            </div>
          </fieldset>
          {error && (
            <p role="alert" className="error wide">
              {error}
            </p>
          )}
          <button type="submit">{t("savePosting")}</button>
        </form>
      </section>
      <section className="card">
        <h2>{t("myPostings")}</h2>
        <ul className="list" data-testid="postings">
          {postings?.map((posting) => (
            <li key={posting.id}>
              <div>
                <strong>{posting.title}</strong>
                <span className="muted small">
                  {" "}
                  {posting.company} · {posting.question_ids.length} {t("fixedQuestions").toLowerCase()}
                </span>
              </div>
              <button className="secondary" onClick={() => navigate(`/postings/${posting.id}/compare`)}>
                {t("compare")}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
