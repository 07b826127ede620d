// The first load's size, gzipped: index.html, the entry script, its static imports and its CSS
// (Mermaid and everything else loaded on demand is left out). Fails over the budget.
// Run after `vite build`: node scripts/first-load-size.mjs
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 300;
const dist = new URL("../dist/", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL(".vite/manifest.json", dist), "utf8"));

const files = new Set(["index.html"]);
const visit = (key) => {
  const chunk = manifest[key];
  if (chunk === undefined || files.has(chunk.file)) {
    return;
  }
  files.add(chunk.file);
  for (const css of chunk.css ?? []) files.add(css);
  for (const imported of chunk.imports ?? []) visit(imported);
};
visit("index.html");

let total = 0;
for (const file of files) {
  total += gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;
}
const kb = total / 1024;
console.log(`first load: ${kb.toFixed(1)} KB gzipped in ${files.size} files (budget ${BUDGET_KB} KB, Mermaid excluded: it loads on demand)`);
if (kb > BUDGET_KB) {
  console.error(`over the budget of ${BUDGET_KB} KB`);
  process.exit(1);
}
