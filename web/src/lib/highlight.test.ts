import { describe, expect, it } from "vitest";
import { highlight } from "./highlight";

describe("highlight", () => {
  it("marks each quote found, whatever its case", () => {
    expect(highlight("I used Redis to cache sessions.", ["redis to cache"])).toEqual([
      { text: "I used ", quoted: false },
      { text: "Redis to cache", quoted: true },
      { text: " sessions.", quoted: false },
    ]);
  });

  it("merges overlapping quotes and ignores missing or empty ones", () => {
    expect(highlight("abcdef", ["bcd", "cde", "xyz", " "])).toEqual([
      { text: "a", quoted: false },
      { text: "bcd", quoted: true },
      { text: "e", quoted: true },
      { text: "f", quoted: false },
    ]);
    expect(highlight("", ["a"])).toEqual([]);
  });
});
