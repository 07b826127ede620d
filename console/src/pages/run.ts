import type { AppContext } from "../context";
import type { Page } from "../router";
import { field, h } from "../ui/dom";
import { codeEditor } from "../ui/editor";
import { runInto } from "../ui/program_output";

const FIRST_PROGRAM = 'name = input("What is your name? ")\nprint(f"Hello, {name}!")\n';

export function runPage(ctx: AppContext): Page {
  const result = h("div", { class: "result", "aria-live": "polite" });
  const stdin = h("textarea", { name: "stdin", rows: 3 }, "Ada\n");
  const run = (): void => void runInto(ctx.api, result, editor.value, stdin.value);
  const editor = codeEditor("Python program", FIRST_PROGRAM, run);
  const button = h("button", { type: "button", class: "primary" }, "Run");
  button.addEventListener("click", run);
  return {
    element: h("section", { class: "page run" },
      h("h1", { tabindex: -1 }, "Run code"),
      h("p", { class: "muted" }, "Programs run in a sandbox with limits on time, memory and output. Ctrl+Enter runs from the editor."),
      h("div", { class: "field" }, h("span", { class: "label" }, "Program"), editor.element),
      field("Input (what the program reads with input())", stdin),
      button,
      result,
    ),
  };
}
