import { messageOf } from "../api/errors";
import type { Notification } from "../api/types";
import type { NotificationCentre } from "../notifications";
import { formatDate, h, replaceChildren } from "./dom";

/** The notifications, newest first, each with its read mark; kept live. */
export function notificationList(centre: NotificationCentre, keep: (item: Notification) => boolean = () => true): { element: HTMLElement; dispose: () => void } {
  const list = h("ul", { class: "notifications", "aria-live": "polite", "aria-label": "Notifications" });
  const render = (items: readonly Notification[]): void => {
    const shown = items.filter(keep);
    if (shown.length === 0) {
      replaceChildren(list, h("li", { class: "muted" }, "Nothing yet."));
      return;
    }
    replaceChildren(list, ...shown.map((item) => notificationItem(centre, item)));
  };
  render(centre.all);
  return { element: list, dispose: centre.subscribe((items) => render(items)) };
}

function notificationItem(centre: NotificationCentre, item: Notification): HTMLElement {
  const mark = h("button", { type: "button", class: "link" }, "Mark as read");
  mark.addEventListener("click", () => {
    mark.disabled = true;
    centre.markRead(item.id).catch((problem: unknown) => {
      mark.replaceWith(h("span", { class: "status-error", role: "alert" }, messageOf(problem)));
    });
  });
  return h("li", { class: item.read ? "notification read" : "notification unread", "data-kind": item.kind, "data-read": String(item.read) },
    h("span", { class: "visually-hidden" }, item.read ? "Read: " : "Unread: "),
    h("p", { class: "message" }, item.message),
    h("p", { class: "muted" }, formatDate(item.created_at), " ", item.read ? h("span", {}, "✓ read") : mark),
  );
}
