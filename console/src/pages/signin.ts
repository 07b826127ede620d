import type { ApiClient } from "../api/client";
import { messageOf } from "../api/errors";
import type { Registration } from "../api/types";
import type { Session } from "../auth/session";
import type { Page } from "../router";
import { field, h, statusLine } from "../ui/dom";

interface SignInDeps {
  api: ApiClient;
  session: Session;
  signedIn: () => void;
  navigate: (path: string) => void;
}

function input(type: string, name: string, autocomplete: string, extra: Record<string, string | number | boolean> = {}): HTMLInputElement {
  return h("input", { type, name, autocomplete, required: true, ...extra });
}

export function signInPage(deps: SignInDeps): Page {
  const status = statusLine();
  const ended = deps.session.takeEndMessage();
  if (ended !== null) {
    status.error(ended);
  }
  const email = input("email", "email", "username");
  const password = input("password", "password", "current-password");
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h("form", { class: "card narrow", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title", tabindex: -1 }, "Sign in"),
    field("Email", email),
    field("Password", password),
    submit,
    status.element,
    h("p", {}, "New here? ", h("a", { href: "/signup", "data-link": true }, "Create an account")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit.disabled = true;
    status.info("Signing in…");
    deps.api.signIn(email.value, password.value).then(deps.signedIn, (problem: unknown) => {
      status.error(messageOf(problem));
      submit.disabled = false;
    });
  });
  return { element: form };
}

export function signUpPage(deps: SignInDeps): Page {
  const status = statusLine();
  const name = input("text", "display_name", "nickname", { maxlength: 100 });
  const email = input("email", "email", "username");
  const password = input("password", "password", "new-password", { minlength: 8 });
  const student = h("input", { type: "radio", name: "role", value: "student", checked: true, id: "role-student" });
  const teacher = h("input", { type: "radio", name: "role", value: "teacher", id: "role-teacher" });
  const submit = h("button", { type: "submit", class: "primary" }, "Create account");
  const form = h("form", { class: "card narrow", "aria-labelledby": "signup-title" },
    h("h1", { id: "signup-title", tabindex: -1 }, "Create your account"),
    field("Your name", name),
    field("Email", email),
    field("Password", password, "At least 8 characters; a few words make a good one."),
    h("fieldset", { class: "roles" }, h("legend", {}, "I am a"),
      h("label", { for: "role-student" }, student, " student"),
      h("label", { for: "role-teacher" }, teacher, " teacher")),
    submit,
    status.element,
    h("p", {}, "Already have an account? ", h("a", { href: "/signin", "data-link": true }, "Sign in")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit.disabled = true;
    status.info("Creating your account…");
    const registration: Registration = {
      email: email.value,
      password: password.value,
      display_name: name.value,
      role: teacher.checked ? "teacher" : "student",
    };
    deps.api
      .register(registration)
      .then(() => deps.api.signIn(email.value, password.value))
      .then(deps.signedIn, (problem: unknown) => {
        status.error(messageOf(problem));
        submit.disabled = false;
      });
  });
  return { element: form };
}
