import { useEffect, useRef, useState } from "react";
import { useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";

/** The interview language choice of a form (field name `language`). With `voiceNote`, choosing Korean says that
 * the interviewer's Korean voice is a basic synthetic one offline. */
export function LanguageField({ voiceNote = false }: { voiceNote?: boolean }) {
  const { t } = useI18n();
  const select = useRef<HTMLSelectElement>(null);
  const [language, setLanguage] = useState("en");
  // The form's reset puts the select back to English: the note follows.
  useEffect(() => {
    const form = select.current?.form;
    const onReset = () => setLanguage("en");
    form?.addEventListener("reset", onReset);
    return () => form?.removeEventListener("reset", onReset);
  }, []);
  const showNote = voiceNote && language === "ko";
  const field = (
    <label>
      {t("language")}
      <select
        ref={select}
        name="language"
        defaultValue="en"
        onChange={(event) => setLanguage(event.target.value)}
        aria-describedby={showNote ? "voice-note" : undefined}
      >
        <option value="en">English</option>
        <option value="ko">한국어</option>
      </select>
    </label>
  );
  if (!voiceNote) return field;
  // The note sits beside the label, not in it: the select's accessible name stays "Interview language".
  return (
    <div className="field">
      {field}
      {showNote && (
        <p id="voice-note" className="muted small" data-testid="voice-note">
          {t("koreanVoiceNote")}
        </p>
      )}
    </div>
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
