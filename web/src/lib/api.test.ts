import { describe, expect, it } from "vitest";
import { errorMessage } from "./api";

describe("errorMessage", () => {
  it("passes the API's own sentence through", () => {
    expect(errorMessage(409, { detail: "The interview is completed; it cannot be joined." })).toBe(
      "The interview is completed; it cannot be joined.",
    );
  });

  it("turns validation errors into field: message", () => {
    const body = { detail: [{ loc: ["body", "password"], msg: "Value error, Password must have at least 8 characters." }] };
    expect(errorMessage(422, body)).toBe("password: Password must have at least 8 characters.");
  });

  it("never shows a raw status for server errors or an empty body", () => {
    expect(errorMessage(500, null)).toBe("The server had a problem. Please try again in a moment.");
    expect(errorMessage(401, null)).toBe("Please sign in again.");
  });
});
