// Parses Mermaid diagrams with the real `mermaid` package.
// stdin: a JSON array of diagram texts; stdout: a JSON array of {ok, type} or {ok: false, error}.
// Mermaid's sanitizer (DOMPurify) needs a window: jsdom provides one, nothing is rendered.
import { JSDOM } from "jsdom";

const { window } = new JSDOM("");
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ ok: true, type: parsed.diagramType });
  } catch (error) {
    results.push({ ok: false, error: String(error.message ?? error).split("\n")[0] });
  }
}
process.stdout.write(JSON.stringify(results));
