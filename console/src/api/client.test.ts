import { describe, expect, it } from "vitest";
import { Session } from "../auth/session";
import { ApiClient } from "./client";

describe("the REST client", () => {
  it("calls the REST API on the base URL config.json names, without cookies", async () => {
    sessionStorage.clear();
    const calls: { url: string; credentials: RequestCredentials | undefined }[] = [];
    const api = new ApiClient(
      new Session(sessionStorage),
      async (input, init) => {
        calls.push({ url: String(input), credentials: init?.credentials });
        return new Response(JSON.stringify({ user: { id: "u-1" } }), { status: 201, headers: { "Content-Type": "application/json" } });
      },
      "https://abc.execute-api.eu-west-1.amazonaws.com/prod",
    );
    await api.register({ email: "ada@example.com", password: "correct horse battery", display_name: "Ada", role: "student" });
    expect(calls).toEqual([{ url: "https://abc.execute-api.eu-west-1.amazonaws.com/prod/api/v1/auth/register", credentials: "omit" }]);
  });
});
