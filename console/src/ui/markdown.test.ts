import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown";

function html(markdown: string): string {
  const holder = document.createElement("div");
  holder.append(renderMarkdown(markdown));
  return holder.innerHTML;
}

describe("tutor answers in Markdown", () => {
  it("keep their formatting", () => {
    expect(html("A **list** with `code`")).toContain("<strong>list</strong>");
  });

  it("lose scripts, event handlers and images", () => {
    const out = html('<img src=x onerror="window.__xss()"><script>window.__xss()</script><b onclick="x()">hi</b>');
    expect(out).not.toMatch(/onerror|onclick|<script|<img/i);
  });

  it("lose javascript: links, also written as Markdown links", () => {
    const out = html("[click](javascript:window.__xss()) [ok](https://docs.python.org) <a href=\"JaVaScRiPt:alert(1)\">x</a>");
    expect(out).not.toMatch(/javascript:/i);
    expect(out).toContain('href="https://docs.python.org"');
    expect(out).toContain('rel="noopener noreferrer"');
  });
});
