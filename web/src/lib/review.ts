/** A recruiter's review of an answer in plain words: the worker's flags, who overrode which score and why. Pure, so
 * that vitest covers the sentences without a page. */
import type { Dimension, DimensionScores, Evaluation, EvaluationFlag, ScoreOverride } from "./types";

export const DIMENSIONS: Dimension[] = ["technical", "communication", "depth"];

type Translate = (key: "flagManipulation" | "flagOffTopic", values?: Record<string, string | number>) => string;

/** One flag as a sentence; the quoted spans are the words that raised it. */
export function flagSentence(flag: EvaluationFlag, t: Translate): string {
  const quotes = (flag.spans ?? []).filter((span) => span.trim()).map((span) => `“${span.trim()}”`);
  if (flag.kind === "manipulation_suspected") {
    return quotes.length ? `${t("flagManipulation")}: ${quotes.join(", ")}` : t("flagManipulation");
  }
  if (flag.kind === "off_topic") return t("flagOffTopic");
  // A kind this page does not know yet: the worker's own sentence.
  return [flag.detail || flag.kind, ...quotes].join(" ");
}

/** The latest override of each dimension, from the API's newest-first list. */
export function latestOverrides(overrides: ScoreOverride[]): Partial<Record<Dimension, ScoreOverride>> {
  const latest: Partial<Record<Dimension, ScoreOverride>> = {};
  for (const override of overrides) latest[override.dimension] ??= override;
  return latest;
}

/** The scores that count (the API has already applied the overrides). */
export function effectiveScores(evaluation: Evaluation): DimensionScores {
  return {
    technical: evaluation.technical_score,
    communication: evaluation.communication_score,
    depth: evaluation.depth_score,
  };
}

export function shortDate(iso: string, language: string): string {
  return new Date(iso).toLocaleDateString(language === "ko" ? "ko-KR" : "en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
  });
}
