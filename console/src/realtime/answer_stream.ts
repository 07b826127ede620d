// One question's answer as it arrives: `response.delta` pieces joined in `seq` order while an LLM
// writes, the final `response` replacing them, `response.retracted` discarding them.
import type { ResponseMessage } from "./messages";

export type AnswerState =
  | { kind: "waiting" }
  | { kind: "streaming"; text: string }
  | { kind: "retracted" }
  | { kind: "final"; message: ResponseMessage };

export class AnswerStream {
  private readonly pieces = new Map<number, string>();
  private finalMessage: ResponseMessage | null = null;
  private retracted = false;

  /** Adds a piece; pieces after a gap wait until the gap is filled. Ignored once final. */
  addDelta(seq: number, delta: string): void {
    if (this.finalMessage === null && !this.retracted && !this.pieces.has(seq)) {
      this.pieces.set(seq, delta);
    }
  }

  retract(): void {
    if (this.finalMessage === null) {
      this.pieces.clear();
      this.retracted = true;
    }
  }

  finish(message: ResponseMessage): void {
    this.finalMessage = message;
    this.pieces.clear();
  }

  get state(): AnswerState {
    if (this.finalMessage !== null) {
      return { kind: "final", message: this.finalMessage };
    }
    if (this.retracted) {
      return { kind: "retracted" };
    }
    const text = this.contiguousText();
    return text === "" ? { kind: "waiting" } : { kind: "streaming", text };
  }

  private contiguousText(): string {
    let text = "";
    for (let seq = 0; this.pieces.has(seq); seq += 1) {
      text += this.pieces.get(seq);
    }
    return text;
  }
}

type Watcher = (state: AnswerState) => void;

/** Every question's stream by request id; messages that come before anyone watches are kept. */
export class AnswerStreams {
  private readonly streams = new Map<string, AnswerStream>();
  private readonly watchers = new Map<string, Watcher>();

  watch(requestId: string, watcher: Watcher): void {
    this.watchers.set(requestId, watcher);
    watcher(this.stream(requestId).state);
  }

  delta(requestId: string, seq: number, delta: string): void {
    this.update(requestId, (stream) => stream.addDelta(seq, delta));
  }

  retract(requestId: string): void {
    this.update(requestId, (stream) => stream.retract());
  }

  finish(message: ResponseMessage): void {
    if (message.request_id !== null) {
      this.update(message.request_id, (stream) => stream.finish(message));
    }
  }

  isFinal(requestId: string): boolean {
    return this.stream(requestId).state.kind === "final";
  }

  private update(requestId: string, change: (stream: AnswerStream) => void): void {
    const stream = this.stream(requestId);
    change(stream);
    this.watchers.get(requestId)?.(stream.state);
  }

  private stream(requestId: string): AnswerStream {
    let stream = this.streams.get(requestId);
    if (stream === undefined) {
      stream = new AnswerStream();
      this.streams.set(requestId, stream);
    }
    return stream;
  }
}
