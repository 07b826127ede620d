import "./styles.css";
import { ApiClient } from "./api/client";
import { Session } from "./auth/session";
import { loadConfig } from "./config";
import type { AppContext } from "./context";
import { NotificationCentre } from "./notifications";
import { exercisePage, exerciseListPage } from "./pages/exercises";
import { progressPage } from "./pages/progress";
import { runPage } from "./pages/run";
import { signInPage, signUpPage } from "./pages/signin";
import { classPage, joinClassPage, studentProgressPage, teacherPage } from "./pages/teacher";
import { catchUpAll, forgetConversation, tutorPage } from "./pages/tutor";
import { AnswerStreams } from "./realtime/answer_stream";
import { LiveSocket } from "./realtime/socket";
import { Router, type Page } from "./router";
import { Shell } from "./shell";
import { h } from "./ui/dom";

const PUBLIC_PATHS = new Set(["/signin", "/signup"]);

async function start(root: HTMLElement): Promise<void> {
  const config = await loadConfig();
  const session = new Session(sessionStorage);
  const api = new ApiClient(session, undefined, config.apiUrl);
  const answers = new AnswerStreams();
  const notifications = new NotificationCentre(api);
  let current: Page | null = null;

  const shell = new Shell(root, () => void api.signOut());
  const socket = new LiveSocket({
    url: config.websocketUrl,
    token: async (renew) => {
      if (renew) {
        session.expireAccessToken();
      }
      return api.accessToken();
    },
    onStatus: (status) => shell.showConnection(status),
    onReconnected: () => {
      catchUpAll(ctx);
      const user = session.user;
      if (user !== null) {
        void notifications.load(user.id).catch(() => undefined);
      }
    },
  });
  socket.on("response", (message) => answers.finish(message));
  socket.on("response.delta", (message) => answers.delta(message.request_id, message.seq, message.delta));
  socket.on("response.retracted", (message) => answers.retract(message.request_id));
  socket.on("notification", (message) => notifications.arrived(message.data));
  notifications.subscribe(() => shell.showUnread(notifications.unread));

  const ctx: AppContext = {
    api,
    session,
    socket,
    answers,
    notifications,
    navigate: (path) => navigate(path),
    user: () => {
      if (session.user === null) {
        throw new Error("signed out");
      }
      return session.user;
    },
  };

  const homeOf = (): string => (session.user?.role === "teacher" ? "/teacher" : "/tutor");
  const signedIn = (): void => navigate(homeOf());
  const router = new Router()
    .add("/signin", () => signInPage({ api, session, signedIn, navigate }))
    .add("/signup", () => signUpPage({ api, session, signedIn, navigate }))
    .add("/tutor", () => tutorPage(ctx))
    .add("/run", () => runPage(ctx))
    .add("/exercises", () => exerciseListPage(ctx))
    .add("/exercises/:id", (params) => exercisePage(ctx, params))
    .add("/progress", () => progressPage(ctx))
    .add("/join", () => joinClassPage(ctx))
    .add("/teacher", () => teacherPage(ctx))
    .add("/teacher/classes/:id", (params) => classPage(ctx, params))
    .add("/teacher/students/:id", (params) => studentProgressPage(ctx, params));

  function render(): void {
    let path = location.pathname;
    if (session.user === null && !PUBLIC_PATHS.has(path)) {
      path = "/signin";
      history.replaceState(null, "", path);
    } else if (session.user !== null && (path === "/" || PUBLIC_PATHS.has(path))) {
      path = homeOf();
      history.replaceState(null, "", path);
    }
    current?.dispose?.();
    const found = router.match(path);
    current = found === null ? { element: h("section", { class: "page" }, h("h1", { tabindex: -1 }, "Page not found"), h("p", {}, h("a", { href: homeOf(), "data-link": true }, "Go to the start page"))) } : found.page(found.params);
    shell.main.replaceChildren(current.element);
    shell.markCurrent(path);
    document.title = `${current.element.querySelector("h1")?.textContent ?? "LearnFlow"} · LearnFlow`;
    (current.element.querySelector<HTMLElement>("h1") ?? shell.main).focus();
  }

  function navigate(path: string): void {
    history.pushState(null, "", path);
    render();
  }

  let wasSignedIn = false;
  session.onChange(() => {
    const user = session.user;
    shell.showUser(user, notifications);
    if (user !== null && !wasSignedIn) {
      wasSignedIn = true;
      socket.start();
      void notifications.load(user.id).catch(() => undefined);
    } else if (user === null && wasSignedIn) {
      wasSignedIn = false;
      socket.stop();
      notifications.clear();
      forgetConversation();
      render();
    }
  });

  document.addEventListener("click", (event) => {
    const link = (event.target as Element | null)?.closest?.("a[data-link]");
    if (link instanceof HTMLAnchorElement && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      event.preventDefault();
      navigate(link.pathname);
    }
  });
  window.addEventListener("popstate", render);

  await api.resume();
  render();
}

const root = document.getElementById("app");
if (root !== null) {
  void start(root);
}
