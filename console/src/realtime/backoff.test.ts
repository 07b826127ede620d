import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";

describe("reconnection backoff", () => {
  it("doubles from half a second and stops growing at fifteen", () => {
    const none = () => 1;
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, none))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, none)).toBe(15_000);
    expect(backoffDelay(0, () => 0)).toBe(375);
  });
});
