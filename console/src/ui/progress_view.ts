import type { ProgressComponents, ProgressReport } from "../api/types";
import { topicChart } from "./chart";
import { formatDate, h } from "./dom";
import { levelBadge } from "./levels";

const COMPONENTS: [keyof ProgressComponents, string, number][] = [
  ["exercises", "Exercises", 40],
  ["quizzes", "Quizzes", 30],
  ["code_quality", "Code quality", 20],
  ["consistency", "Consistency", 10],
];

/** A student's progress: mastery and level, the four components, streak, topics, recent activity. */
export function progressView(report: ProgressReport): { element: HTMLElement; destroy: () => void } {
  const chart = report.topics.length > 0 ? topicChart(report.topics) : null;
  const element = h("div", { class: "progress-report" },
    h("div", { class: "card mastery" },
      h("p", { class: "big", "data-testid": "mastery" }, `Mastery ${Math.round(report.mastery)} / 100`),
      levelBadge(report.level),
      h("p", {}, report.explanation.summary),
      h("p", { "data-testid": "streak" }, `Streak: ${report.streak_days} day${report.streak_days === 1 ? "" : "s"} (longest ${report.longest_streak_days})`)),
    h("div", { class: "card" }, h("h2", {}, "What mastery is made of"),
      h("dl", { class: "components" }, ...COMPONENTS.flatMap(([key, label, weight]) => [
        h("dt", {}, `${label} (${weight}%)`),
        h("dd", {}, h("meter", { min: 0, max: 100, value: report.components[key], "aria-label": label }), ` ${Math.round(report.components[key])}`),
      ]))),
    h("div", { class: "card" }, h("h2", {}, "By topic"),
      chart === null ? h("p", { class: "muted" }, "Submit an exercise to see your topics.") : chart.element,
      h("ul", { class: "topics" }, ...report.topics.map((topic) => h("li", {}, `${topic.topic}: ${Math.round(topic.mastery)} `, levelBadge(topic.level))))),
    h("div", { class: "card" }, h("h2", {}, "Recent activity"),
      report.history.length === 0 ? h("p", { class: "muted" }, "Nothing yet.")
        : h("ol", { class: "timeline" }, ...report.history.map((item) => h("li", {},
            h("time", { datetime: item.occurred_at }, formatDate(item.occurred_at)),
            ` ${item.kind.replace("_", " ")} · ${item.topic}${item.score === null ? "" : ` · score ${Math.round(item.score)}`}`)))),
  );
  return { element, destroy: () => chart?.destroy() };
}
