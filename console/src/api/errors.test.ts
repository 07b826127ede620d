import { describe, expect, it } from "vitest";
import { errorFromResponse, messageOf } from "./errors";

describe("API errors", () => {
  it("show the error body's message", () => {
    const body = { error: { code: "conflict", message: "This email is already registered.", details: [] } };
    const error = errorFromResponse(409, body, null);
    expect(messageOf(error)).toBe("This email is already registered.");
    expect(error.code).toBe("conflict");
  });

  it("never show a raw body that is not an error body", () => {
    expect(messageOf(errorFromResponse(502, "<html>bad gateway</html>", null))).toBe("Something went wrong on our side. Try again in a moment.");
    expect(errorFromResponse(429, undefined, "7").retryAfterSeconds).toBe(7);
  });

  it("explain a network failure in plain words", () => {
    expect(messageOf(new TypeError("Failed to fetch"))).toMatch(/cannot be reached/);
  });
});
