import { messageOf } from "../api/errors";
import type { ProgressReport } from "../api/types";
import type { AppContext } from "../context";
import type { Page } from "../router";
import { h, replaceChildren } from "../ui/dom";
import { notificationList } from "../ui/notification_list";
import { progressView } from "../ui/progress_view";

export function progressPage(ctx: AppContext): Page {
  const report = h("div", { "aria-live": "polite" }, h("p", { class: "muted" }, "Loading…"));
  let destroyChart = (): void => undefined;
  const show = (progress: ProgressReport): void => {
    destroyChart();
    const view = progressView(progress);
    destroyChart = view.destroy;
    replaceChildren(report, view.element);
  };
  const userId = ctx.user().id;
  ctx.api.get<ProgressReport>(`/api/v1/progress/${encodeURIComponent(userId)}`).then(show, (problem: unknown) =>
    replaceChildren(report, h("p", { class: "status status-error", role: "alert" }, messageOf(problem))));
  const stopLive = ctx.socket.on("progress", (message) => show(message.data));
  const notifications = notificationList(ctx.notifications);
  return {
    element: h("section", { class: "page progress" }, h("h1", { tabindex: -1 }, "Your progress"), report,
      h("section", { class: "card", "aria-labelledby": "notifications-title" }, h("h2", { id: "notifications-title" }, "Notifications"), notifications.element)),
    dispose() {
      stopLive();
      notifications.dispose();
      destroyChart();
    },
  };
}
