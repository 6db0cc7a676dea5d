/** The rubric editor's rules, the same as the API's (core/rubric.py), checked as the recruiter types. */
export interface Criterion {
  name: string;
  description: string;
  weight: number;
}

export function rubricProblems(criteria: Criterion[]): string[] {
  const problems: string[] = [];
  if (criteria.length === 0) problems.push("Add at least one criterion.");
  if (criteria.length > 10) problems.push("At most 10 criteria.");
  if (criteria.some((c) => !c.name.trim())) problems.push("Every criterion needs a name.");
  const names = criteria.map((c) => c.name.trim().toLowerCase()).filter(Boolean);
  if (new Set(names).size !== names.length) problems.push("Criterion names must be unique.");
  if (criteria.some((c) => !(c.weight > 0 && c.weight <= 1))) problems.push("Each weight is above 0 and at most 1.");
  const total = criteria.reduce((sum, c) => sum + (Number.isFinite(c.weight) ? c.weight : 0), 0);
  if (criteria.length > 0 && Math.abs(total - 1) > 0.01) problems.push(`Weights must add up to 1.00 (now ${total.toFixed(2)}).`);
  return problems;
}

/** Spreads the weight evenly, rounded to hundredths, the remainder on the first criterion. */
export function evenWeights(criteria: Criterion[]): Criterion[] {
  if (criteria.length === 0) return criteria;
  const each = Math.floor(100 / criteria.length) / 100;
  const first = Math.round((1 - each * (criteria.length - 1)) * 100) / 100;
  return criteria.map((c, i) => ({ ...c, weight: i === 0 ? first : each }));
}
