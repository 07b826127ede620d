import { messageOf } from "../api/errors";
import type { ClassRoster, Notification, OpenedClass, ProgressReport } from "../api/types";
import type { AppContext } from "../context";
import type { Page, Params } from "../router";
import { field, h, replaceChildren, statusLine } from "../ui/dom";
import { levelBadge } from "../ui/levels";
import { notificationList } from "../ui/notification_list";
import { progressView } from "../ui/progress_view";

// The API has no list of a teacher's classes: this tab remembers the ones created or opened here.
const CLASSES_KEY = "learnflow.classes";

function knownClasses(): OpenedClass[] {
  try {
    const value = JSON.parse(sessionStorage.getItem(CLASSES_KEY) ?? "[]") as unknown;
    return Array.isArray(value) ? (value as OpenedClass[]) : [];
  } catch {
    return [];
  }
}

function rememberClass(opened: OpenedClass): void {
  const others = knownClasses().filter((known) => known.id !== opened.id);
  sessionStorage.setItem(CLASSES_KEY, JSON.stringify([{ id: opened.id, name: opened.name, join_code: opened.join_code }, ...others]));
}

const isStruggleAlert = (item: Notification): boolean => item.kind === "student_struggling";
const joinedThisClass = (item: Notification, classId: string): boolean =>
  item.kind === "student_joined" && item.data["class_id"] === classId;

function alertsCard(ctx: AppContext): { element: HTMLElement; dispose: () => void } {
  const alerts = notificationList(ctx.notifications, isStruggleAlert);
  return { element: h("section", { class: "card alerts", "aria-labelledby": "alerts-title" }, h("h2", { id: "alerts-title" }, "Struggle alerts"), alerts.element), dispose: alerts.dispose };
}

export function teacherPage(ctx: AppContext): Page {
  const name = h("input", { name: "class_name", required: true, maxlength: 200 });
  const status = statusLine();
  const create = h("button", { type: "submit", class: "primary" }, "Create class");
  const form = h("form", { class: "card" }, h("h2", {}, "A new class"), field("Class name", name), create, status.element);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    create.disabled = true;
    ctx.api.post<OpenedClass>("/api/v1/classes", { name: name.value }).then(
      (opened) => {
        rememberClass(opened);
        ctx.navigate(`/teacher/classes/${opened.id}`);
      },
      (problem: unknown) => {
        status.error(messageOf(problem));
        create.disabled = false;
      },
    );
  });
  const classes = knownClasses();
  const alerts = alertsCard(ctx);
  return {
    element: h("section", { class: "page teacher" }, h("h1", { tabindex: -1 }, "Your classes"), form,
      classes.length === 0 ? h("p", { class: "muted" }, "Classes you create appear here.")
        : h("ul", { class: "classes" }, ...classes.map((known) => h("li", {}, h("a", { href: `/teacher/classes/${encodeURIComponent(known.id)}`, "data-link": true }, known.name), ` · join code ${known.join_code}`))),
      alerts.element),
    dispose: alerts.dispose,
  };
}

export function classPage(ctx: AppContext, params: Params): Page {
  const id = params["id"] ?? "";
  const body = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  const alerts = alertsCard(ctx);
  const load = (): void => {
    ctx.api.get<ClassRoster>(`/api/v1/classes/${encodeURIComponent(id)}`).then(
      (roster) => {
        rememberClass(roster);
        replaceChildren(body, rosterView(ctx, roster));
      },
      (problem: unknown) => replaceChildren(body, h("p", { class: "status status-error", role: "alert" }, messageOf(problem))),
    );
  };
  load();
  // a student who joins or struggles shows up without a reload
  const stop = ctx.notifications.subscribe((_, arrived) => {
    if (arrived !== null && (isStruggleAlert(arrived) || joinedThisClass(arrived, id))) {
      load();
    }
  });
  const refresh = h("button", { type: "button" }, "Refresh the roster");
  refresh.addEventListener("click", load);
  return {
    element: h("section", { class: "page class" }, h("h1", { tabindex: -1 }, "Class"), body, refresh, alerts.element),
    dispose() {
      stop();
      alerts.dispose();
    },
  };
}

function rosterView(ctx: AppContext, roster: ClassRoster): HTMLElement {
  const rows = roster.students.map((student) => {
    const level = h("td", {}, "…");
    ctx.api.get<ProgressReport>(`/api/v1/progress/${encodeURIComponent(student.id)}`).then(
      (report) => replaceChildren(level, levelBadge(report.level), ` ${Math.round(report.mastery)}`),
      (problem: unknown) => replaceChildren(level, messageOf(problem)),
    );
    return h("tr", {}, h("th", { scope: "row" }, h("a", { href: `/teacher/students/${encodeURIComponent(student.id)}`, "data-link": true }, student.display_name)), level);
  });
  return h("div", {},
    h("h2", { class: "class-name" }, roster.name),
    h("p", { class: "join-code" }, "Join code: ", h("strong", { "data-testid": "join-code" }, roster.join_code), " (students enter it on their Join a class page)"),
    h("h3", {}, `Students (${roster.students.length})`),
    roster.students.length === 0 ? h("p", { class: "muted" }, "No student has joined yet.")
      : h("table", { class: "roster" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Student"), h("th", { scope: "col" }, "Level"))), h("tbody", {}, ...rows)),
  );
}

export function studentProgressPage(ctx: AppContext, params: Params): Page {
  const id = params["id"] ?? "";
  const body = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  let destroy = (): void => undefined;
  ctx.api.get<ProgressReport>(`/api/v1/progress/${encodeURIComponent(id)}`).then(
    (report) => {
      const view = progressView(report);
      destroy = view.destroy;
      replaceChildren(body, view.element);
    },
    (problem: unknown) => replaceChildren(body, h("p", { class: "status status-error", role: "alert" }, messageOf(problem))),
  );
  return { element: h("section", { class: "page" }, h("h1", { tabindex: -1 }, "A student's progress"), body), dispose: () => destroy() };
}

export function joinClassPage(ctx: AppContext): Page {
  const code = h("input", { name: "join_code", required: true, autocomplete: "off" });
  const status = statusLine();
  const join = h("button", { type: "submit", class: "primary" }, "Join");
  const form = h("form", { class: "card narrow" }, h("h1", { tabindex: -1 }, "Join a class"), field("Join code (from your teacher)", code), join, status.element);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    join.disabled = true;
    ctx.api.post("/api/v1/classes/join", { join_code: code.value.trim() }).then(
      () => {
        status.info("You have joined the class. Your teacher can now follow your progress.");
        join.disabled = false;
      },
      (problem: unknown) => {
        status.error(messageOf(problem));
        join.disabled = false;
      },
    );
  });
  return { element: form };
}
