// Parses an AsyncAPI document with the real parser (npm `@asyncapi/parser`), which validates it
// against the AsyncAPI specification and its bindings and resolves every reference.
// usage: node validate.mjs <document>; exits 1 and prints the diagnostics of severity error if any.
import { resolve } from "node:path";
import { Parser, fromFile } from "@asyncapi/parser";

const ERROR = 0; // DiagnosticSeverity.Error
const path = resolve(process.argv[2]);
const { document, diagnostics } = await fromFile(new Parser(), path).parse();
const errors = diagnostics.filter((diagnostic) => diagnostic.severity === ERROR);
for (const { code, message, path: where } of errors) {
  console.error(`${code}: ${message} at /${where.join("/")}`);
}
if (errors.length > 0 || document === undefined) {
  console.error(`${path}: ${errors.length} error(s); the document is not valid AsyncAPI`);
  process.exit(1);
}
console.log(`${path}: valid AsyncAPI ${document.version()}, ${diagnostics.length} diagnostic(s) below error`);
