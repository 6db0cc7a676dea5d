import type { Expression } from "../lib/types";

const COLOURS: Record<string, string> = {
  happy: "#3a9d5d",
  neutral: "#8a94a6",
  surprise: "#e0a526",
  sad: "#4a6fd4",
  fear: "#9b59b6",
  angry: "#d9534f",
  disgust: "#8d6e63",
  no_face: "#e6e8ec",
};

/** One coloured band per sampled frame along the interview's clock, with the share of each expression. */
export function ExpressionTimeline({ expression, label }: { expression: Expression; label: string }) {
  const timeline = expression.timeline;
  const end = Math.max(...timeline.map((point) => point.t_ms), 1);
  return (
    <figure className="expression" aria-label={label}>
      <svg viewBox="0 0 1000 40" preserveAspectRatio="none" role="img" aria-label={label}>
        {timeline.map((point, i) => {
          const x = (point.t_ms / end) * 1000;
          const next = i + 1 < timeline.length ? (timeline[i + 1].t_ms / end) * 1000 : 1000;
          return (
            <rect key={point.t_ms} x={x} y={0} width={Math.max(next - x, 2)} height={40} fill={COLOURS[point.dominant] ?? "#ccc"}>
              <title>{`${Math.round(point.t_ms / 1000)} s: ${point.dominant}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption>
        {Object.entries(expression.share).map(([name, share]) => (
          <span key={name} className="legend">
            <i style={{ background: COLOURS[name] ?? "#ccc" }} /> {name} {Math.round(share * 100)}%
          </span>
        ))}
        {timeline.some((point) => point.dominant === "no_face") && (
          <span className="legend muted">
            <i style={{ background: COLOURS.no_face }} /> no face in frame
          </span>
        )}
      </figcaption>
    </figure>
  );
}
