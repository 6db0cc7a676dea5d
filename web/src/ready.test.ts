import { describe, expect, it } from "vitest";
import { failingServices } from "./ready";

describe("failingServices", () => {
  it("lists only the probes that did not answer ok", () => {
    expect(failingServices({ status: "degraded", database: "ok", redis: "failed: refused" })).toEqual([
      "redis: failed: refused",
    ]);
  });
  it("is empty when everything is ready", () => {
    expect(failingServices({ status: "ok", database: "ok" })).toEqual([]);
  });
});
