import { messageOf } from "../api/errors";
import type { Exercise, ExerciseHint, GradedSubmission, RevealedHint } from "../api/types";
import type { AppContext } from "../context";
import type { Page, Params } from "../router";
import { field, h, replaceChildren, statusLine } from "../ui/dom";
import { codeEditor } from "../ui/editor";
import { renderMarkdown } from "../ui/markdown";

interface Recent {
  id: string;
  title: string;
  topic: string;
  difficulty: string;
}

// The API has no list of a student's exercises: this tab remembers the ones opened here.
const RECENT_KEY = "learnflow.recent_exercises";

function recentExercises(): Recent[] {
  try {
    const value = JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? "[]") as unknown;
    return Array.isArray(value) ? (value as Recent[]) : [];
  } catch {
    return [];
  }
}

function remember(exercise: Exercise): void {
  const others = recentExercises().filter((recent) => recent.id !== exercise.id);
  const entry = { id: exercise.id, title: exercise.title, topic: exercise.topic, difficulty: exercise.difficulty };
  sessionStorage.setItem(RECENT_KEY, JSON.stringify([entry, ...others].slice(0, 20)));
}

export function exerciseListPage(ctx: AppContext): Page {
  const topic = h("input", { name: "topic", required: true, maxlength: 200, value: "for loops" });
  const difficulty = h("select", { name: "difficulty" },
    h("option", { value: "" }, "Chosen from my mastery"),
    h("option", { value: "easy" }, "Easy"), h("option", { value: "medium" }, "Medium"), h("option", { value: "hard" }, "Hard"));
  const status = statusLine();
  const generate = h("button", { type: "submit", class: "primary" }, "Generate an exercise");
  const form = h("form", { class: "card" }, h("h2", {}, "A new exercise"), field("Topic", topic, "A concept (for loops) or a topic (control-flow)"), field("Difficulty", difficulty), generate, status.element);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    generate.disabled = true;
    status.info("Writing an exercise for you…");
    const body = difficulty.value === "" ? { topic: topic.value } : { topic: topic.value, difficulty: difficulty.value };
    ctx.api.post<{ exercise: Exercise }>("/api/v1/exercises/generate", body).then(
      ({ exercise }) => {
        remember(exercise);
        ctx.navigate(`/exercises/${exercise.id}`);
      },
      (problem: unknown) => {
        status.error(messageOf(problem));
        generate.disabled = false;
      },
    );
  });
  const recent = recentExercises();
  const list = recent.length === 0
    ? h("p", { class: "muted" }, "Exercises you open appear here.")
    : h("ul", { class: "exercise-list" }, ...recent.map((item) =>
        h("li", {}, h("a", { href: `/exercises/${encodeURIComponent(item.id)}`, "data-link": true }, item.title), ` · ${item.topic} · ${item.difficulty}`)));
  return { element: h("section", { class: "page" }, h("h1", { tabindex: -1 }, "Exercises"), form, h("h2", {}, "Your exercises"), list) };
}

export function exercisePage(ctx: AppContext, params: Params): Page {
  const section = h("section", { class: "page exercise" }, h("h1", { tabindex: -1 }, "Exercise"), h("p", { class: "muted" }, "Loading…"));
  const id = params["id"] ?? "";
  ctx.api.get<{ exercise: Exercise }>(`/api/v1/exercises/${encodeURIComponent(id)}`).then(
    ({ exercise }) => {
      remember(exercise);
      replaceChildren(section, ...exerciseView(ctx, exercise));
      section.querySelector("h1")?.focus();
    },
    (problem: unknown) => replaceChildren(section, h("h1", { tabindex: -1 }, "Exercise"), h("p", { class: "status status-error", role: "alert" }, messageOf(problem))),
  );
  return { element: section };
}

function exerciseView(ctx: AppContext, exercise: Exercise): Node[] {
  const description = h("div", { class: "markdown" });
  description.append(renderMarkdown(exercise.description));
  const results = h("div", { class: "results", "aria-live": "polite" });
  const status = statusLine();
  const submit = h("button", { type: "button", class: "primary" }, "Submit");
  const editor = codeEditor(`Your solution (${exercise.module_name}.py)`, exercise.starter_code, () => submit.click());
  submit.addEventListener("click", () => {
    submit.disabled = true;
    status.info("Running the tests…");
    ctx.api.post<GradedSubmission>(`/api/v1/exercises/${encodeURIComponent(exercise.id)}/submit`, { code: editor.value }).then(
      (graded) => {
        status.clear();
        replaceChildren(results, gradedView(graded));
        submit.disabled = false;
      },
      (problem: unknown) => {
        status.error(messageOf(problem));
        submit.disabled = false;
      },
    );
  });
  return [
    h("h1", { tabindex: -1 }, exercise.title),
    h("p", { class: "muted" }, `${exercise.topic} · ${exercise.difficulty}`),
    description,
    h("div", { class: "field" }, h("span", { class: "label" }, `Your solution (${exercise.module_name}.py)`), editor.element),
    h("div", { class: "actions" }, submit, hintsView(ctx, exercise)),
    status.element,
    results,
    h("details", {}, h("summary", {}, "The tests your code must pass"), h("pre", { class: "code" }, exercise.test_code)),
  ];
}

function hintsView(ctx: AppContext, exercise: Exercise): HTMLElement {
  const list = h("ol", { class: "hints", "aria-live": "polite" });
  const status = statusLine();
  const button = h("button", { type: "button" }, "Take a hint");
  let left = exercise.hints_total - exercise.hints_revealed.length;
  const show = (hint: ExerciseHint): void => {
    list.append(h("li", {}, h("strong", {}, `Hint ${hint.level}: `), hint.text));
  };
  const refresh = (): void => {
    button.disabled = left <= 0;
    button.textContent = left <= 0 ? "No hints left" : `Take a hint (${left} left)`;
  };
  exercise.hints_revealed.forEach(show);
  refresh();
  button.addEventListener("click", () => {
    button.disabled = true;
    ctx.api.post<RevealedHint>(`/api/v1/exercises/${encodeURIComponent(exercise.id)}/hints/next`).then(
      (revealed) => {
        show(revealed.hint);
        left = revealed.hints_left;
        refresh();
      },
      (problem: unknown) => {
        status.error(messageOf(problem));
        refresh();
      },
    );
  });
  return h("div", { class: "hint-box" }, button, list, status.element);
}

function gradedView(graded: GradedSubmission): HTMLElement {
  const verdict = graded.status === "passed" ? "All tests passed. Well done!" : graded.status === "failed" ? "Some tests failed. Read what they expected and try again." : "Your code could not be tested.";
  return h("div", { class: `graded graded-${graded.status}`, "data-status": graded.status },
    h("h2", {}, `${verdict} Score ${graded.score} / 100`),
    graded.message === null ? null : h("p", {}, graded.message),
    h("ul", { class: "tests" }, ...graded.tests.map((test) =>
      h("li", { class: `test test-${test.status}`, "data-status": test.status },
        h("strong", {}, `${test.status === "pass" ? "✓ passed" : test.status === "fail" ? "✗ failed" : "! error"}: `), test.name,
        test.message === "" ? null : h("pre", { class: "output" }, test.message),
        test.output === "" ? null : h("pre", { class: "output" }, test.output)))),
  );
}
