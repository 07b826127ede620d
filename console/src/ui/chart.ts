// Per-topic mastery as bars: Chart.js with only the parts a bar chart needs.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from "chart.js";
import type { TopicProgress } from "../api/types";
import { h } from "./dom";
import { levelColour } from "./levels";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export function topicChart(topics: readonly TopicProgress[]): { element: HTMLElement; destroy: () => void } {
  const canvas = h("canvas", { role: "img", "aria-label": `Mastery by topic: ${topics.map((t) => `${t.topic} ${Math.round(t.mastery)}`).join(", ")}` });
  const element = h("div", { class: "chart" }, canvas);
  const chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: topics.map((topic) => topic.topic),
      datasets: [{ label: "Mastery", data: topics.map((topic) => topic.mastery), backgroundColor: topics.map((topic) => levelColour(topic.level)) }],
    },
    options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { min: 0, max: 100 } } },
  });
  return { element, destroy: () => chart.destroy() };
}
