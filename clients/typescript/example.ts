// How a frontend uses the generated types: sign in, then run a program with the access token.
import type { components, paths } from "./learnflow-api";

type LoginBody = paths["/api/v1/auth/login"]["post"]["requestBody"]["content"]["application/json"];
type Session = paths["/api/v1/auth/login"]["post"]["responses"][200]["content"]["application/json"];
type ExecuteBody = paths["/api/v1/execute"]["post"]["requestBody"]["content"]["application/json"];
type ProgramRun = paths["/api/v1/execute"]["post"]["responses"][200]["content"]["application/json"];
type ApiError = components["schemas"]["ErrorBody"];

async function call<T>(base: string, path: string, body: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (token !== undefined) {
    headers["Authorization"] = `Bearer ${token}`;
  }
  const response = await fetch(`${base}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  if (!response.ok) {
    const problem = (await response.json()) as ApiError;
    throw new Error(problem.error.message);
  }
  return (await response.json()) as T;
}

export async function runHello(base: string, credentials: LoginBody): Promise<string> {
  const session = await call<Session>(base, "/api/v1/auth/login", credentials);
  const program: ExecuteBody = { code: 'print("hello")' };
  const result = await call<ProgramRun>(base, "/api/v1/execute", program, session.access_token);
  return result.stdout;
}
