import { useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";

/** The interview language choice of a form (field name `language`). */
export function LanguageField() {
  const { t } = useI18n();
  return (
    <label>
      {t("language")}
      <select name="language" defaultValue="en">
        <option value="en">English</option>
        <option value="ko">한국어</option>
      </select>
    </label>
  );
}

/** A link-styled button to an interview's report. */
export function ReportLink({ interviewId }: { interviewId: number }) {
  const { t } = useI18n();
  return (
    <button className="link" onClick={() => navigate(`/interviews/${interviewId}/report`)}>
      {t("report")}
    </button>
  );
}
