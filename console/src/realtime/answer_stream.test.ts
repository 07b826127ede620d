import { describe, expect, it } from "vitest";
import { AnswerStreams, type AnswerState } from "./answer_stream";
import type { ResponseMessage } from "./messages";

const final: ResponseMessage = { type: "response", request_id: "q1", intent: "concepts", status: "done", data: { clarification: "Which loop?", source: "offline" } };

function watched(streams: AnswerStreams, id = "q1"): AnswerState[] {
  const seen: AnswerState[] = [];
  streams.watch(id, (state) => seen.push(state));
  return seen;
}

describe("a streamed answer", () => {
  it("joins pieces in seq order, waiting for a missing one", () => {
    const streams = new AnswerStreams();
    const seen = watched(streams);
    streams.delta("q1", 1, "is a ");
    expect(seen.at(-1)).toEqual({ kind: "waiting" });
    streams.delta("q1", 0, "Recursion ");
    streams.delta("q1", 2, "function");
    expect(seen.at(-1)).toEqual({ kind: "streaming", text: "Recursion is a function" });
  });

  it("is replaced by the final response, and later pieces change nothing", () => {
    const streams = new AnswerStreams();
    const seen = watched(streams);
    streams.delta("q1", 0, "Draft");
    streams.finish(final);
    streams.delta("q1", 1, " more");
    expect(seen.at(-1)).toEqual({ kind: "final", message: final });
  });

  it("drops the streamed text when retracted, then shows the fallback", () => {
    const streams = new AnswerStreams();
    const seen = watched(streams);
    streams.delta("q1", 0, "Wrong answer");
    streams.retract("q1");
    expect(seen.at(-1)).toEqual({ kind: "retracted" });
    streams.finish(final);
    expect(seen.at(-1)).toEqual({ kind: "final", message: final });
  });

  it("keeps what arrived before anyone watched", () => {
    const streams = new AnswerStreams();
    streams.finish(final);
    expect(watched(streams)).toEqual([{ kind: "final", message: final }]);
  });
});
