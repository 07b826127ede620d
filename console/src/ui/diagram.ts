// Mermaid is big, so it loads only when an answer has a diagram. Its SVG is sanitised too.
import DOMPurify from "dompurify";
import { h } from "./dom";

let counter = 0;

export function diagram(source: string, title: string): HTMLElement {
  const figure = h("figure", { class: "diagram" }, h("figcaption", {}, title), h("p", { class: "muted" }, "Drawing the diagram…"));
  void draw(figure, source);
  return figure;
}

async function draw(figure: HTMLElement, source: string): Promise<void> {
  try {
    const { default: mermaid } = await import("mermaid");
    // SVG text labels (no HTML inside the SVG), so the sanitiser keeps them
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", htmlLabels: false, flowchart: { htmlLabels: false } });
    counter += 1;
    const { svg } = await mermaid.render(`diagram-${counter}`, source);
    const clean = DOMPurify.sanitize(svg, { USE_PROFILES: { svg: true, svgFilters: true }, RETURN_DOM_FRAGMENT: true });
    figure.lastElementChild?.replaceWith(clean);
    figure.querySelector("svg")?.setAttribute("role", "img");
    figure.querySelector("svg")?.setAttribute("aria-label", figure.querySelector("figcaption")?.textContent ?? "diagram");
  } catch {
    figure.lastElementChild?.replaceWith(h("pre", { class: "code" }, source));
  }
}
