// A tutor's answer on the page, by what it holds (see TutorAnswer in docs/asyncapi.yaml).
import type { ApiClient } from "../api/client";
import type {
  Clarification,
  CodeNeeded,
  CodeReview,
  ConceptExample,
  ConceptExplanation,
  DebugHint,
  ErrorAnalysis,
  ExerciseAnswer,
  ProgressSummary,
  PythonAnswer,
  UnknownConcept,
} from "../api/types";
import type { ResponseMessage } from "../realtime/messages";
import { diagram } from "../ui/diagram";
import { h } from "../ui/dom";
import { renderMarkdown } from "../ui/markdown";
import { runInto } from "../ui/program_output";

type Data = ResponseMessage["data"];

function has<K extends string>(data: Data, key: K): data is Data & Record<K, unknown> {
  return typeof data === "object" && data !== null && key in data;
}

export function answerView(message: ResponseMessage, api: ApiClient): HTMLElement {
  const data = message.data;
  if (message.status === "failed") {
    const text = has(data, "error") ? (data as { error?: { message?: string } }).error?.message : undefined;
    return h("p", { class: "status status-error" }, text ?? "The tutor could not answer this question. Try asking it another way.");
  }
  if (has(data, "clarification")) {
    return h("p", {}, (data as Clarification).clarification);
  }
  if (has(data, "hints") && has(data, "error_type")) {
    return debugView(data as ErrorAnalysis | CodeNeeded);
  }
  if (has(data, "issues")) {
    return reviewView(data as CodeReview);
  }
  if (has(data, "exercise")) {
    return exerciseView(data as ExerciseAnswer);
  }
  if (has(data, "study_next")) {
    return progressView(data as ProgressSummary);
  }
  if (has(data, "suggestions") && has(data, "concept") && data.concept === null) {
    return has(data, "examples") ? pythonAnswerView(data as PythonAnswer, api) : unknownConceptView(data as UnknownConcept);
  }
  if (has(data, "examples")) {
    return conceptView(data as ConceptExplanation, api);
  }
  return h("p", {}, "The tutor answered in a way this console does not show yet.");
}

function markdown(text: string): HTMLElement {
  const block = h("div", { class: "markdown" });
  block.append(renderMarkdown(text));
  return block;
}

/** What the student should know about an answer (an AI allowance spent, code left out). */
function noteView(note: string | null | undefined): HTMLElement | null {
  return note ? h("p", { class: "note", role: "note" }, note) : null;
}

function examplesView(examples: readonly ConceptExample[], api: ApiClient): (HTMLElement | null)[] {
  const views = examples.map((example, index) => {
    const output = h("div", { class: "example-output", "aria-live": "polite" });
    const run = h("button", { type: "button" }, `Run example ${index + 1}`);
    run.addEventListener("click", () => void runInto(api, output, example.code));
    return h("div", { class: "example" },
      h("pre", { class: "code" }, h("code", {}, example.code)),
      h("p", { class: "muted" }, "Expected output:"),
      h("pre", { class: "output" }, example.output),
      run,
      output,
    );
  });
  return [views.length > 0 ? h("h4", {}, "Examples you can run") : null, ...views];
}

function conceptView(answer: ConceptExplanation, api: ApiClient): HTMLElement {
  return h("article", { class: "answer-concept" },
    h("h3", {}, answer.concept, " ", h("span", { class: "tag" }, answer.level)),
    noteView(answer.note),
    markdown(answer.explanation),
    ...examplesView(answer.examples, api),
    answer.diagram === null ? null : diagram(answer.diagram, `Diagram: ${answer.concept}`),
    answer.related.length > 0 ? h("p", { class: "muted" }, `Related: ${answer.related.join(", ")}`) : null,
  );
}

/** A question no curriculum page is about, answered by the LLM and checked. */
function pythonAnswerView(answer: PythonAnswer, api: ApiClient): HTMLElement {
  return h("article", { class: "answer-concept" },
    markdown(answer.explanation),
    ...examplesView(answer.examples, api),
    answer.diagram === null ? null : diagram(answer.diagram, "Diagram of the answer"),
    answer.suggestions.length > 0 ? h("p", { class: "muted" }, `In the curriculum: ${answer.suggestions.join(", ")}`) : null,
  );
}

function unknownConceptView(answer: UnknownConcept): HTMLElement {
  return h("article", {}, markdown(answer.explanation),
    answer.suggestions.length > 0 ? h("p", {}, `Try asking about: ${answer.suggestions.join(", ")}`) : null);
}

/** Three hints, revealed one level at a time: the fix only at the last. */
export function hintLadder(hints: readonly DebugHint[]): HTMLElement {
  const list = h("ol", { class: "hints", "aria-live": "polite" });
  const next = h("button", { type: "button" }, "Show hint 1");
  let shown = 0;
  const reveal = (): void => {
    const hint = hints[shown];
    if (hint === undefined) {
      return;
    }
    list.append(h("li", { "data-level": hint.level }, h("strong", {}, `Hint ${hint.level}: `), hint.text,
      hint.code === undefined ? null : h("pre", { class: "code" }, hint.code)));
    shown += 1;
    next.textContent = `Show hint ${shown + 1}`;
    next.hidden = shown >= hints.length;
  };
  next.addEventListener("click", reveal);
  next.hidden = hints.length === 0;
  return h("div", { class: "hint-ladder" }, list, next);
}

function debugView(answer: ErrorAnalysis | CodeNeeded): HTMLElement {
  const where = answer.line === null ? "" : ` (line ${answer.line})`;
  return h("article", { class: "answer-debug" },
    answer.error_type === null ? null : h("h3", {}, `${answer.error_type}${where}`),
    "note" in answer ? noteView(answer.note) : null,
    h("p", {}, answer.message),
    hintLadder(answer.hints),
  );
}

function reviewView(review: CodeReview): HTMLElement {
  return h("article", { class: "answer-review" },
    h("h3", {}, `Code review: ${review.score} / 100`),
    noteView(review.note),
    h("p", {}, review.summary),
    h("ul", {}, ...review.issues.map((issue) => h("li", {}, `Line ${issue.line}: ${issue.message}`))),
  );
}

function exerciseView(answer: ExerciseAnswer): HTMLElement {
  return h("article", {},
    h("p", {}, answer.message),
    h("p", {}, h("a", { href: `/exercises/${encodeURIComponent(answer.exercise.id)}`, "data-link": true }, `Open the exercise “${answer.exercise.title}”`)),
  );
}

function progressView(summary: ProgressSummary): HTMLElement {
  return h("article", {},
    noteView(summary.note),
    h("p", {}, summary.summary),
    summary.study_next.length > 0 ? h("ul", {}, ...summary.study_next.map((step) => h("li", {}, `${step.concept}: ${step.reason}`))) : null,
  );
}
