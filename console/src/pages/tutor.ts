// Ask the tutor: the question goes to POST /api/v1/query; the answer arrives on the WebSocket
// (streamed pieces first when an LLM writes it), or from GET /requests/{id} if the socket missed it.
import { messageOf } from "../api/errors";
import type { QueuedQuestion, TutorRequestState } from "../api/types";
import type { AppContext } from "../context";
import type { AnswerState } from "../realtime/answer_stream";
import type { ResponseMessage } from "../realtime/messages";
import type { Page } from "../router";
import { field, h, replaceChildren, statusLine } from "../ui/dom";
import { codeEditor } from "../ui/editor";
import { answerView } from "./tutor_answers";

interface Exchange {
  question: string;
  code: string;
  error: string;
  requestId: string;
  intent: string;
}

/** The conversation survives moving between pages (not a reload). */
const conversation: Exchange[] = [];
const CATCH_UP_AFTER_MS = 10_000;

export function tutorPage(ctx: AppContext): Page {
  const log = h("ol", { class: "chat", "aria-label": "Conversation with the tutor" });
  const question = h("textarea", { name: "question", rows: 3, required: true, maxlength: 4096, placeholder: "What is a list comprehension?" });
  const code = codeEditor("Your code (optional)");
  const error = h("textarea", { name: "error", rows: 3, placeholder: "Traceback (most recent call last): …" });
  const status = statusLine();
  const send = h("button", { type: "submit", class: "primary" }, "Ask");
  const form = h("form", { class: "card ask" },
    field("Your question", question),
    h("details", {}, h("summary", {}, "Add your code and the error (for debugging questions)"),
      h("div", { class: "field" }, h("span", { class: "label" }, "Your code"), code.element),
      field("The error you got", error)),
    send,
    status.element,
  );
  const timers: ReturnType<typeof setTimeout>[] = [];
  const show = (exchange: Exchange): void => {
    log.append(exchangeView(ctx, exchange));
    timers.push(setTimeout(() => void catchUp(ctx, exchange.requestId), CATCH_UP_AFTER_MS));
  };
  conversation.forEach(show);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send.disabled = true;
    status.info("Sending your question…");
    const asked = { question: question.value.trim(), code: code.value, error: error.value.trim() };
    const body = { question: asked.question, ...(asked.code.trim() === "" ? {} : { code: asked.code }), ...(asked.error === "" ? {} : { error: asked.error }) };
    ctx.api.post<QueuedQuestion>("/api/v1/query", body).then(
      (queued) => {
        const exchange = { ...asked, requestId: queued.request_id, intent: queued.intent };
        conversation.push(exchange);
        show(exchange);
        question.value = "";
        status.clear();
        send.disabled = false;
      },
      (problem: unknown) => {
        status.error(messageOf(problem));
        send.disabled = false;
      },
    );
  });
  return {
    element: h("section", { class: "page tutor" }, h("h1", { tabindex: -1 }, "Ask the tutor"), log, form),
    dispose() {
      timers.forEach(clearTimeout);
    },
  };
}

function exchangeView(ctx: AppContext, exchange: Exchange): HTMLElement {
  const answer = h("div", { class: "bubble tutor-bubble", "aria-live": "polite", "aria-busy": "true", "data-request-id": exchange.requestId });
  ctx.answers.watch(exchange.requestId, (state) => showAnswer(ctx, answer, state));
  return h("li", { class: "exchange" },
    h("div", { class: "bubble student-bubble" },
      h("p", { class: "question" }, exchange.question),
      exchange.code.trim() === "" ? null : h("pre", { class: "code" }, exchange.code),
      exchange.error === "" ? null : h("pre", { class: "output output-error" }, exchange.error),
      h("p", { class: "muted" }, `Routed to the ${exchange.intent.replace("_", " ")} tutor`)),
    answer,
  );
}

function showAnswer(ctx: AppContext, target: HTMLElement, state: AnswerState): void {
  switch (state.kind) {
    case "waiting":
      replaceChildren(target, h("p", { class: "muted typing" }, "The tutor is thinking…"));
      return;
    case "streaming":
      replaceChildren(target, h("p", { class: "streaming" }, state.text));
      return;
    case "retracted":
      replaceChildren(target, h("p", { class: "muted typing" }, "The tutor is checking its answer…"));
      return;
    case "final":
      target.setAttribute("aria-busy", "false");
      target.dataset["state"] = "answered";
      replaceChildren(target, answerView(state.message, ctx.api));
  }
}

/** The answer from the REST API, for when the WebSocket was down while it was pushed. */
async function catchUp(ctx: AppContext, requestId: string): Promise<void> {
  if (ctx.answers.isFinal(requestId)) {
    return;
  }
  try {
    const state = await ctx.api.get<TutorRequestState>(`/api/v1/requests/${encodeURIComponent(requestId)}`);
    if (state.status !== "queued" && state.response !== undefined && !ctx.answers.isFinal(requestId)) {
      const message: ResponseMessage = { type: "response", request_id: requestId, intent: state.intent, status: state.status, data: state.response };
      ctx.answers.finish(message);
    }
  } catch {
    // the socket may still deliver it
  }
}

/** Catches up on every unanswered question (after the socket reconnects). */
export function catchUpAll(ctx: AppContext): void {
  for (const exchange of conversation) {
    void catchUp(ctx, exchange.requestId);
  }
}

export function forgetConversation(): void {
  conversation.length = 0;
}
