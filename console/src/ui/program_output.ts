import type { ApiClient } from "../api/client";
import { messageOf } from "../api/errors";
import type { ProgramRun } from "../api/types";
import { h, replaceChildren } from "./dom";
import { explainRun } from "./plain_words";

/** A run's result: status in words, output and errors as plain text, the duration. */
export function runResult(run: ProgramRun): HTMLElement {
  return h("div", { class: `run-result run-${run.status}`, "data-status": run.status },
    h("p", { class: "run-status" }, h("strong", {}, `Status: ${run.status.replace("_", " ")}`), ` · ${run.duration_ms} ms · exit code ${run.exit_code}`),
    h("p", { class: "run-explanation" }, explainRun(run)),
    h("h3", {}, "Output"),
    h("pre", { class: "output", "data-testid": "stdout", tabindex: 0 }, run.stdout === "" ? "(nothing printed)" : run.stdout),
    run.stderr === "" ? null : h("h3", {}, "Errors"),
    run.stderr === "" ? null : h("pre", { class: "output output-error", "data-testid": "stderr", tabindex: 0 }, run.stderr),
    run.truncated ? h("p", { class: "muted" }, "The output was cut off.") : null,
  );
}

/** Runs code and shows the result in `target`. */
export async function runInto(api: ApiClient, target: HTMLElement, code: string, stdin = ""): Promise<void> {
  replaceChildren(target, h("p", { class: "muted", role: "status" }, "Running…"));
  try {
    const run = await api.post<ProgramRun>("/api/v1/execute", stdin === "" ? { code } : { code, stdin });
    replaceChildren(target, runResult(run));
  } catch (problem) {
    replaceChildren(target, h("p", { class: "status status-error", role: "alert" }, messageOf(problem)));
  }
}
