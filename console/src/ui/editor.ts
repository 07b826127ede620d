// A Python editor: CodeMirror 6 with Python highlighting; Tab indents, Escape then Tab leaves.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { tags } from "@lezer/highlight";

/** Colours that keep at least 4.5:1 contrast on white (WCAG AA), unlike CodeMirror's defaults. */
const readableHighlighting = HighlightStyle.define([
  { tag: tags.keyword, color: "#7a1fa2" },
  { tag: [tags.atom, tags.bool, tags.null], color: "#0550ae" },
  { tag: tags.number, color: "#0b6e4f" },
  { tag: [tags.string, tags.special(tags.string)], color: "#a31515" },
  { tag: [tags.escape, tags.regexp], color: "#8a3b00" },
  { tag: tags.comment, color: "#3d6b21", fontStyle: "italic" },
  { tag: tags.definition(tags.variableName), color: "#0451a5" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: "#6b4f1d" },
  { tag: [tags.className, tags.typeName], color: "#1d6b80" },
  { tag: tags.invalid, color: "#b3261e" },
]);

export interface CodeEditor {
  element: HTMLElement;
  get value(): string;
  set value(code: string);
}

export function codeEditor(label: string, initial = "", onSubmit?: () => void): CodeEditor {
  const element = document.createElement("div");
  element.className = "editor";
  const submitKeys = onSubmit === undefined ? [] : [{ key: "Mod-Enter", run: () => (onSubmit(), true) }];
  const view = new EditorView({
    parent: element,
    state: EditorState.create({
      doc: initial,
      extensions: [
        lineNumbers(),
        history(),
        indentOnInput(),
        bracketMatching(),
        python(),
        syntaxHighlighting(readableHighlighting),
        keymap.of([...submitKeys, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.contentAttributes.of({ "aria-label": label, "aria-multiline": "true" }),
        EditorView.lineWrapping,
      ],
    }),
  });
  return {
    element,
    get value() {
      return view.state.doc.toString();
    },
    set value(code: string) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
  };
}
