import { describe, expect, it } from "vitest";
import { match } from "./router";
import { translate } from "./i18n";

describe("match", () => {
  it("extracts named parts and refuses other shapes", () => {
    expect(match("/interviews/:id/room", "/interviews/12/room")).toEqual({ id: "12" });
    expect(match("/interviews/:id/room", "/interviews/12/report")).toBeNull();
    expect(match("/interviews/:id/room", "/interviews/12")).toBeNull();
    expect(match("/", "/")).toEqual({});
  });
});

describe("translate", () => {
  it("fills placeholders in both languages", () => {
    expect(translate("en", "questionOf", { k: 2, n: 5 })).toBe("Question 2 of 5");
    expect(translate("ko", "questionOf", { k: 2, n: 5 })).toBe("질문 2 / 5");
  });
});
