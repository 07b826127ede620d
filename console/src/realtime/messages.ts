// The WebSocket's server messages (docs/asyncapi.yaml) that the console acts on.
import type { Notification, ProgramRun, ProgressReport, TutorAnswer, Intent } from "../api/types";

export interface ResponseMessage {
  type: "response";
  request_id: string | null;
  intent: Intent | null;
  status: "done" | "failed";
  data: TutorAnswer | { error?: { message?: string } };
}
export interface ResponseDeltaMessage {
  type: "response.delta";
  request_id: string;
  seq: number;
  delta: string;
}
export interface ResponseRetractedMessage {
  type: "response.retracted";
  request_id: string;
  reason: string;
}
export interface ProgressMessage {
  type: "progress";
  data: ProgressReport;
}
export interface NotificationMessage {
  type: "notification";
  data: Notification;
}
export interface ExecutionMessage extends ProgramRun {
  type: "execution";
}

export type ServerMessage =
  | ResponseMessage
  | ResponseDeltaMessage
  | ResponseRetractedMessage
  | ProgressMessage
  | NotificationMessage
  | ExecutionMessage
  | { type: "ack"; request_id: string }
  | { type: "pong" }
  | { type: "error"; error: { code: string; message: string } };

export type MessageType = ServerMessage["type"];
export type MessageOf<K extends MessageType> = Extract<ServerMessage, { type: K }>;

const KNOWN: ReadonlySet<string> = new Set([
  "response",
  "response.delta",
  "response.retracted",
  "progress",
  "notification",
  "execution",
  "ack",
  "pong",
  "error",
]);

/** A text frame as a server message, or null for anything else (unknown types are ignored). */
export function parseServerMessage(frame: unknown): ServerMessage | null {
  if (typeof frame !== "string") {
    return null;
  }
  try {
    const value = JSON.parse(frame) as unknown;
    if (typeof value === "object" && value !== null && KNOWN.has(String((value as { type?: unknown }).type))) {
      return value as ServerMessage;
    }
  } catch {
    return null;
  }
  return null;
}
