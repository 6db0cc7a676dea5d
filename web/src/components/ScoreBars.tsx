import { useI18n } from "../lib/i18n";

/** Horizontal bars for 0–100 scores (the evaluator's scale); a missing score reads as such rather than as zero. */
export function ScoreBars({ scores, label }: { scores: [string, number | null | undefined][]; label: string }) {
  return (
    <figure className="score-bars" aria-label={label}>
      {scores.map(([name, value]) => (
        <div key={name} className="score-row">
          <span className="score-name">{name}</span>
          <span className="bar" role="img" aria-label={`${name}: ${value == null ? "—" : Math.round(value)} / 100`}>
            <span className="fill" style={{ width: `${Math.max(0, Math.min(100, value ?? 0))}%` }} />
          </span>
          <span className="score-value">{value == null ? "—" : Math.round(value)}</span>
        </div>
      ))}
    </figure>
  );
}

type Score = number | null | undefined;

/** One answer's three rubric dimensions. */
export function AnswerScores({ technical, communication, depth }: { technical: Score; communication: Score; depth: Score }) {
  const { t } = useI18n();
  return (
    <ScoreBars
      label={t("scores")}
      scores={[
        [t("technical"), technical],
        [t("communication"), communication],
        [t("depth"), depth],
      ]}
    />
  );
}
