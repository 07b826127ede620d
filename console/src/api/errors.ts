import type { ApiErrorBody } from "./types";

/** A failed API call, carrying the error body's `message` (for people) and `code` (for programs). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  0: "LearnFlow cannot be reached. Check your connection and try again.",
  429: "Too many attempts. Wait a moment and try again.",
  502: "Something went wrong on our side. Try again in a moment.",
  503: "LearnFlow is busy or partly down. Try again in a moment.",
  504: "That took too long. Try again in a moment.",
};

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== "object" || body === null || !("error" in body)) {
    return false;
  }
  const error = (body as { error: unknown }).error;
  return typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string";
}

/** The error a response stands for: its body's `message`, never the raw body. */
export function errorFromResponse(status: number, body: unknown, retryAfter: string | null): ApiError {
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
  if (isErrorBody(body)) {
    return new ApiError(status, body.error.code, body.error.message, seconds);
  }
  const message = FALLBACK_MESSAGES[status] ?? `The request failed (HTTP ${status}).`;
  return new ApiError(status, "unknown", message, seconds);
}

/** A sentence for any failure, for showing to a person. */
export function messageOf(problem: unknown): string {
  if (problem instanceof ApiError) {
    return problem.message;
  }
  if (problem instanceof TypeError) {
    return FALLBACK_MESSAGES[0] ?? "LearnFlow cannot be reached.";
  }
  return "Something unexpected went wrong. Try again.";
}
