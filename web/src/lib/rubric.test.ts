import { describe, expect, it } from "vitest";
import { evenWeights, rubricProblems } from "./rubric";

describe("rubricProblems", () => {
  it("accepts weights that add up to one", () => {
    expect(rubricProblems([{ name: "Depth", description: "", weight: 0.6 }, { name: "Clarity", description: "", weight: 0.4 }])).toEqual([]);
  });

  it("names each rule that is broken", () => {
    const problems = rubricProblems([
      { name: "Depth", description: "", weight: 0.5 },
      { name: "depth ", description: "", weight: 0.2 },
      { name: "", description: "", weight: 0 },
    ]);
    expect(problems).toEqual([
      "Every criterion needs a name.",
      "Criterion names must be unique.",
      "Each weight is above 0 and at most 1.",
      "Weights must add up to 1.00 (now 0.70).",
    ]);
    expect(rubricProblems([])).toEqual(["Add at least one criterion."]);
  });
});

describe("evenWeights", () => {
  it("splits to hundredths that add up to one", () => {
    const weights = evenWeights([1, 2, 3].map((n) => ({ name: `c${n}`, description: "", weight: 0 }))).map((c) => c.weight);
    expect(weights).toEqual([0.34, 0.33, 0.33]);
    expect(rubricProblems(weights.map((weight, i) => ({ name: `c${i}`, description: "", weight })))).toEqual([]);
  });
});
