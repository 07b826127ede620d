// Where the tokens live: the access token only in memory; the refresh token in sessionStorage, so a
// reload of the tab stays signed in while closing the tab signs out (console/README.md explains why).
import type { PublicUser, SessionTokens } from "../api/types";

const REFRESH_KEY = "learnflow.refresh_token";
/** Renew a little before the access token expires, so no request races its expiry. */
const EXPIRY_MARGIN_MS = 30_000;

type Listener = () => void;

export class Session {
  private accessToken: string | null = null;
  private expiresAt = 0;
  private currentUser: PublicUser | null = null;
  private endedBecause: string | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly storage: Storage,
    private readonly now: () => number = Date.now,
  ) {}

  get user(): PublicUser | null {
    return this.currentUser;
  }

  get refreshToken(): string | null {
    return this.storage.getItem(REFRESH_KEY);
  }

  /** The access token while it is comfortably valid, else null (renew it first). */
  get freshAccessToken(): string | null {
    return this.accessToken !== null && this.now() < this.expiresAt - EXPIRY_MARGIN_MS ? this.accessToken : null;
  }

  /** Why the last session ended, once: the sign-in page shows it. */
  takeEndMessage(): string | null {
    const message = this.endedBecause;
    this.endedBecause = null;
    return message;
  }

  store(tokens: SessionTokens): void {
    this.accessToken = tokens.access_token;
    this.expiresAt = this.now() + tokens.expires_in * 1000;
    this.storage.setItem(REFRESH_KEY, tokens.refresh_token);
  }

  /** Forgets the access token only: the next call renews it with the refresh token. */
  expireAccessToken(): void {
    this.accessToken = null;
    this.expiresAt = 0;
  }

  identify(user: PublicUser): void {
    this.currentUser = user;
    this.notify();
  }

  /** Forgets every token; `because` is shown on the sign-in page. */
  end(because: string | null = null): void {
    this.accessToken = null;
    this.expiresAt = 0;
    this.currentUser = null;
    this.endedBecause = because;
    this.storage.removeItem(REFRESH_KEY);
    this.notify();
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}
