import { describe, expect, it } from "vitest";
import type { ApiClient } from "../api/client";
import type { ResponseMessage } from "../realtime/messages";
import { answerView } from "./tutor_answers";

const api = {} as ApiClient;

function response(data: Record<string, unknown>): ResponseMessage {
  return { type: "response", request_id: "r-1", intent: "concepts", status: "done", data } as unknown as ResponseMessage;
}

describe("tutor answers", () => {
  it("show an LLM's answer to a question no page is about, with its examples and the curriculum's topics", () => {
    const view = answerView(response({
      concept: null,
      level: "beginner",
      explanation: "The walrus operator `:=` assigns inside an expression.",
      examples: [{ code: "print(n := 3)", output: "3\n" }],
      diagram: null,
      suggestions: ["Variables and Types"],
      source: "llm",
    }), api);

    expect(view.querySelector(".markdown code")?.textContent).toBe(":=");
    expect(view.querySelector("pre.code")?.textContent).toBe("print(n := 3)");
    expect(view.querySelector("button")?.textContent).toBe("Run example 1");
    expect(view.textContent).toContain("In the curriculum: Variables and Types");
  });

  it("still show the offline tutor's answer to such a question as text and topics", () => {
    const view = answerView(response({
      concept: null,
      explanation: "The offline tutor has no page about “gil”.",
      suggestions: ["Numbers"],
      source: "offline",
    }), api);

    expect(view.textContent).toContain("Try asking about: Numbers");
    expect(view.querySelector("button")).toBeNull();
  });

  it("show a review's note, such as an AI allowance spent", () => {
    const view = answerView(response({
      score: 90,
      summary: "Clean code.",
      issues: [],
      complexity: null,
      suggestions: [],
      penalties: {},
      parses: true,
      source: "offline",
      note: "You have used today's AI tutoring allowance.",
    }), api);

    expect(view.querySelector("[role=note]")?.textContent).toBe("You have used today's AI tutoring allowance.");
  });
});
