// Every REST call goes through here: `/api/v1/...` on the REST API's base URL (the page's own origin
// by default), the bearer token, one transparent renewal when the access token has expired, and
// errors as their body's `message`.
import type { Session } from "../auth/session";
import { ApiError, errorFromResponse } from "./errors";
import type { PublicUser, Registration, SessionTokens } from "./types";

export const SESSION_ENDED =
  "Your session has ended: it expired, or it was used from somewhere else. Please sign in again.";

type Method = "GET" | "POST" | "PATCH";

export class ApiClient {
  private renewal: Promise<string> | null = null;

  constructor(
    private readonly session: Session,
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
    private readonly baseUrl = "",
  ) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>("GET", path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>("POST", path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>("PATCH", path, body);
  }

  /** Creates an account (no token needed); sign in afterwards. */
  async register(registration: Registration): Promise<PublicUser> {
    const { user } = await this.send<{ user: PublicUser }>("POST", "/api/v1/auth/register", registration, null);
    return user;
  }

  /** Signs in and learns who the user is. */
  async signIn(email: string, password: string): Promise<PublicUser> {
    const tokens = await this.send<SessionTokens>("POST", "/api/v1/auth/login", { email, password }, null);
    this.session.store(tokens);
    return this.loadUser();
  }

  /** Picks a session back up from the refresh token kept for this tab; false when there is none. */
  async resume(): Promise<boolean> {
    if (this.session.refreshToken === null) {
      return false;
    }
    try {
      await this.accessToken();
      await this.loadUser();
      return true;
    } catch {
      return false;
    }
  }

  async signOut(): Promise<void> {
    const refreshToken = this.session.refreshToken;
    const token = this.session.freshAccessToken;
    this.session.end();
    if (refreshToken !== null && token !== null) {
      await this.send("POST", "/api/v1/auth/logout", { refresh_token: refreshToken }, token).catch(() => undefined);
    }
  }

  /** A valid access token, renewed first when it has expired (one renewal at a time). */
  async accessToken(): Promise<string> {
    const token = this.session.freshAccessToken;
    if (token !== null) {
      return token;
    }
    this.renewal ??= this.renew().finally(() => {
      this.renewal = null;
    });
    return this.renewal;
  }

  private async loadUser(): Promise<PublicUser> {
    const { user } = await this.get<{ user: PublicUser }>("/api/v1/auth/me");
    this.session.identify(user);
    return user;
  }

  private async renew(): Promise<string> {
    const refreshToken = this.session.refreshToken;
    if (refreshToken === null) {
      this.session.end(SESSION_ENDED);
      throw new ApiError(401, "unauthorized", SESSION_ENDED);
    }
    try {
      const tokens = await this.send<SessionTokens>("POST", "/api/v1/auth/refresh", { refresh_token: refreshToken }, null);
      this.session.store(tokens);
      return tokens.access_token;
    } catch (problem) {
      if (problem instanceof ApiError && problem.status === 401) {
        this.session.end(SESSION_ENDED);
        throw new ApiError(401, "unauthorized", SESSION_ENDED);
      }
      throw problem;
    }
  }

  private async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const token = await this.accessToken();
    try {
      return await this.send<T>(method, path, body, token);
    } catch (problem) {
      if (!(problem instanceof ApiError) || problem.status !== 401) {
        throw problem;
      }
      // the token was refused although it looked valid (revoked, or the clock is off): renew once
      this.session.expireAccessToken();
      return this.send<T>(method, path, body, await this.accessToken());
    }
  }

  private async send<T>(method: Method, path: string, body: unknown, token: string | null): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (token !== null) {
      headers["Authorization"] = `Bearer ${token}`;
    }
    // no cookies go anywhere: the token is in the Authorization header, on another origin too
    const init: RequestInit = { method, headers, credentials: "omit" };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
    }
    const response = await this.fetcher(`${this.baseUrl}${path}`, init);
    const parsed = await readJson(response);
    if (!response.ok) {
      throw errorFromResponse(response.status, parsed, response.headers.get("Retry-After"));
    }
    return parsed as T;
  }
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) {
    return undefined;
  }
  const text = await response.text();
  if (text === "") {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
