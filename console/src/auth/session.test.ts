import { describe, expect, it } from "vitest";
import { ApiClient, SESSION_ENDED } from "../api/client";
import { Session } from "./session";

const tokens = (access: string, refresh: string) => ({ access_token: access, refresh_token: refresh, token_type: "Bearer" as const, expires_in: 900 });
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

describe("the token flow", () => {
  it("keeps the access token out of storage and the refresh token in sessionStorage", () => {
    sessionStorage.clear();
    const session = new Session(sessionStorage);
    session.store(tokens("access-1", "refresh-1"));
    expect(sessionStorage.getItem("learnflow.refresh_token")).toBe("refresh-1");
    expect(JSON.stringify({ ...sessionStorage })).not.toContain("access-1");
    expect(localStorage.length).toBe(0);
  });

  it("renews an expired access token once, transparently", async () => {
    sessionStorage.clear();
    let now = 0;
    const session = new Session(sessionStorage, () => now);
    session.store(tokens("old", "refresh-1"));
    now = 901_000;
    const calls: string[] = [];
    const api = new ApiClient(session, async (input, init) => {
      calls.push(`${String(input)} ${new Headers(init?.headers).get("Authorization") ?? ""}`);
      return String(input).endsWith("/refresh") ? json(200, tokens("new", "refresh-2")) : json(200, { ok: true });
    });
    await api.get("/api/v1/auth/me");
    expect(calls).toEqual(["/api/v1/auth/refresh ", "/api/v1/auth/me Bearer new"]);
    expect(session.refreshToken).toBe("refresh-2");
  });

  it("ends the session with a clear message when the refresh token was replayed", async () => {
    sessionStorage.clear();
    const session = new Session(sessionStorage);
    sessionStorage.setItem("learnflow.refresh_token", "spent");
    const api = new ApiClient(session, async () => json(401, { error: { code: "unauthorized", message: "Refresh token reused", details: [] } }));
    await expect(api.get("/api/v1/auth/me")).rejects.toThrow(SESSION_ENDED);
    expect(session.refreshToken).toBeNull();
    expect(session.takeEndMessage()).toBe(SESSION_ENDED);
  });
});
