import type { ProgramRun } from "../api/types";

const EXPLANATIONS: Record<ProgramRun["status"], string> = {
  ok: "Your program ran and finished normally.",
  error: "Your program stopped with an error. Read the last line of the error output: it names the problem and the line.",
  timeout: "Your program ran for too long and was stopped. Look for a loop that never ends, or input() waiting for input you did not give.",
  memory_limit: "Your program used more memory than it may, and was stopped. Look for a list or string that keeps growing.",
  output_limit: "Your program printed more than can be shown, so the output was cut off. Print less, or stop a loop sooner.",
  blocked: "Your program was not run: it uses something students' programs may not use here (such as files, the network or other programs).",
};

/** What a run's status means, in plain words, with the sandbox's own sentence when it has one. */
export function explainRun(run: ProgramRun): string {
  const general = EXPLANATIONS[run.status];
  return run.message !== null && run.message !== "" && run.status !== "ok" ? `${general} (${run.message})` : general;
}
