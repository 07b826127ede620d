// Tutor answers are Markdown from the tutor (and from an LLM): parsed by marked, then sanitised by
// DOMPurify before they touch the page. Links keep only http(s) and mailto targets.
import DOMPurify from "dompurify";
import { marked } from "marked";

const SAFE_LINK = /^(https?:|mailto:)/i;
let hooked = false;

function installLinkPolicy(): void {
  if (hooked) {
    return;
  }
  hooked = true;
  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A") {
      const href = node.getAttribute("href") ?? "";
      if (!SAFE_LINK.test(href.trim())) {
        node.removeAttribute("href");
      } else {
        node.setAttribute("rel", "noopener noreferrer");
        node.setAttribute("target", "_blank");
      }
    }
  });
}

/** Markdown as a sanitised fragment: no script, no event handler, no `javascript:` link, no form. */
export function renderMarkdown(markdown: string): DocumentFragment {
  installLinkPolicy();
  const html = marked.parse(markdown, { async: false, gfm: true });
  return DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "img"],
    FORBID_ATTR: ["style"],
  });
}
