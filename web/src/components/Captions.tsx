import { useEffect, useRef } from "react";
import { useI18n } from "../lib/i18n";
import type { Line } from "../lib/transcript";

/** Both sides' live captions, newest at the bottom, announced politely to screen readers. */
export function Captions({ lines, self }: { lines: Line[]; self: string }) {
  const { t } = useI18n();
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    // A block, not an expression: scrollIntoView returns a promise in current Chromium, and React would take a
    // returned value for the effect's cleanup.
    void end.current?.scrollIntoView({ block: "nearest" });
  }, [lines]);
  return (
    <section className="captions" aria-label={t("captions")}>
      <h2>{t("captions")}</h2>
      <ol aria-live="polite" data-testid="captions">
        {lines.map((line) => (
          <li
            key={line.segmentId}
            className={`${line.speaker}${line.final ? "" : " interim"}`}
            data-question-id={line.questionId ?? undefined}
          >
            <b>{line.speaker === "interviewer" ? t("interviewer") : self}:</b> {line.text}
          </li>
        ))}
        <li ref={end} aria-hidden="true" />
      </ol>
    </section>
  );
}
