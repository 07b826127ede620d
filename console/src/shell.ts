// The frame around every page: navigation by role, the live connection's state, sign out.
import type { PublicUser } from "./api/types";
import type { NotificationCentre } from "./notifications";
import type { SocketStatus } from "./realtime/socket";
import { h, replaceChildren } from "./ui/dom";

const STUDENT_LINKS: [string, string][] = [
  ["/tutor", "Ask the tutor"],
  ["/run", "Run code"],
  ["/exercises", "Exercises"],
  ["/progress", "Progress"],
  ["/join", "Join a class"],
];
const TEACHER_LINKS: [string, string][] = [
  ["/teacher", "Classes"],
  ["/run", "Run code"],
];

const STATUS_WORDS: Record<SocketStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  closed: "Offline",
};

export class Shell {
  readonly main = h("main", { id: "main", tabindex: -1 });
  private readonly nav = h("nav", { "aria-label": "Main" });
  private readonly connection = h("span", { class: "connection", role: "status", "data-status": "closed" }, "Offline");
  private readonly badge = h("a", { href: "/progress", "data-link": true, class: "badge" });
  private readonly account = h("div", { class: "account" });

  constructor(root: HTMLElement, private readonly signOut: () => void) {
    root.append(h("header", { class: "top" }, h("a", { href: "/", "data-link": true, class: "brand" }, "LearnFlow"), this.nav, this.account), this.main);
  }

  showUser(user: PublicUser | null, notifications: NotificationCentre): void {
    if (user === null) {
      replaceChildren(this.nav);
      replaceChildren(this.account);
      return;
    }
    const links = user.role === "teacher" ? TEACHER_LINKS : STUDENT_LINKS;
    replaceChildren(this.nav, h("ul", {}, ...links.map(([path, label]) => h("li", {}, h("a", { href: path, "data-link": true }, label)))));
    const out = h("button", { type: "button", class: "link" }, "Sign out");
    out.addEventListener("click", this.signOut);
    replaceChildren(this.account, this.connection, this.badge, h("span", { class: "who" }, `${user.display_name} (${user.role})`), out);
    this.showUnread(notifications.unread);
  }

  showUnread(count: number): void {
    this.badge.textContent = `Notifications: ${count} unread`;
  }

  showConnection(status: SocketStatus): void {
    this.connection.dataset["status"] = status;
    this.connection.textContent = STATUS_WORDS[status];
  }

  markCurrent(path: string): void {
    for (const link of this.nav.querySelectorAll("a")) {
      const href = link.getAttribute("href") ?? "";
      if (path === href || path.startsWith(`${href}/`)) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    }
  }
}
