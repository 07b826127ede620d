// A Python editor: CodeMirror 6 with Python highlighting; Tab indents, Escape then Tab leaves.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";

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
        syntaxHighlighting(defaultHighlightStyle),
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
