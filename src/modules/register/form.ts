// XEP-0077 2.4 §3 and §4 (with XEP-0004 forms): the registration form, and reading what a client submits.
import { type Element, x } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";

export const FORM_TITLE = "Creating a new account";
export const FORM_INSTRUCTIONS = "Choose a username and password for use with this service.";

/** The form Prosody's mod_register_ibr serves: legacy fields and the same as a data form (prosody-observed.md). */
export function registrationForm(): Element {
  return x(
    "query",
    { xmlns: NS.REGISTER },
    x("instructions", null, FORM_INSTRUCTIONS),
    x("username"),
    x("password"),
    x(
      "x",
      { xmlns: NS.DATA_FORMS, type: "form" },
      x("title", null, FORM_TITLE),
      x("instructions", null, FORM_INSTRUCTIONS),
      x("field", { type: "hidden", var: "FORM_TYPE" }, x("value", null, NS.REGISTER)),
      x("field", { type: "text-single", var: "username", label: "Username" }, x("required")),
      x("field", { type: "text-private", var: "password", label: "Password" }, x("required")),
    ),
  );
}

/** §3.3 answer to an authenticated `get`: the account is registered, under this username. */
export function registeredAnswer(username: string): Element {
  return x("query", { xmlns: NS.REGISTER }, x("registered"), x("username", null, username), x("password"));
}

export interface Submission {
  /** Undefined when the field is absent; "" when sent empty. */
  username: string | undefined;
  password: string | undefined;
  /** §3.2 cancellation: `<remove/>`. */
  remove: boolean;
}

/** Reads a `set`: a submitted data form wins over the legacy fields, as in Prosody. */
export function readSubmission(query: Element): Submission {
  const remove = query.getChild("remove", NS.REGISTER) !== undefined;
  const form = query.getChild("x", NS.DATA_FORMS);
  if (form) {
    const value = (name: string): string | undefined => {
      const field = form.getChildren("field", NS.DATA_FORMS).find((f) => f.attrs.var === name);
      return field?.getChild("value", NS.DATA_FORMS)?.text();
    };
    return { username: value("username"), password: value("password"), remove };
  }
  return { username: query.getChildText("username", NS.REGISTER), password: query.getChildText("password", NS.REGISTER), remove };
}

/**
 * mod_register_ibr's "Field: Required value missing" lines, one per field. An empty password counts as missing
 * (observed); an empty username does not: the registrar calls it invalid (test-cases.md C29).
 */
export function missingFields(s: Submission): string | undefined {
  const lines: string[] = [];
  if (s.username === undefined) lines.push("Username: Required value missing");
  if (s.password === undefined || s.password === "") lines.push("Password: Required value missing");
  return lines.length > 0 ? lines.join("\n") : undefined;
}
