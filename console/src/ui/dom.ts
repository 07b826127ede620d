// Building the page: text always goes in as textContent, never as HTML (only ui/markdown.ts makes
// HTML, and only through DOMPurify).
type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | boolean | number | undefined | null | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (typeof value === "function") {
      element.addEventListener(name.replace(/^on/, ""), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A status line for a form: assertive for errors so screen readers announce them. */
export function statusLine(): { element: HTMLElement; error: (text: string) => void; info: (text: string) => void; clear: () => void } {
  const element = h("p", { class: "status", role: "status", "aria-live": "polite" });
  return {
    element,
    error(text: string) {
      element.className = "status status-error";
      element.setAttribute("role", "alert");
      element.textContent = text;
    },
    info(text: string) {
      element.className = "status";
      element.setAttribute("role", "status");
      element.textContent = text;
    },
    clear() {
      element.className = "status";
      element.textContent = "";
    },
  };
}

let uniqueCounter = 0;
export function uniqueId(prefix: string): string {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}

/** A labelled form field. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uniqueId("field");
  control.id = id;
  const hintElement = hint === undefined ? null : h("span", { class: "hint", id: `${id}-hint` }, hint);
  if (hintElement !== null) {
    control.setAttribute("aria-describedby", hintElement.id);
  }
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hintElement);
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
