// What a refused registration means for the web form and the JSON API (invites.md §11.2, §11a): the registrar
// answers with XEP-0077's stanza errors; these are the field, the message key and the HTTP status they become.
import type { Translator } from "../../http/i18n/index.ts";
import type { StanzaError } from "../../xmpp/stanza-error.ts";
import { BLOCKLISTED, NOT_ALLOWLISTED } from "../accounts/ip-limits.ts";
import { BAD_USERNAME } from "../accounts/registrar.ts";
import { WRONG_RESET_USERNAME, WRONG_USERNAME } from "../invites/index.ts";
import { ALREADY_USED } from "../invites/model.ts";

export type FieldName = "user" | "password" | "password_confirm";

/** A message for the user: a key of register-messages.ts, or the server's own (English) text when it has none. */
export interface Problem {
  key: string | undefined;
  params?: Record<string, string | number>;
  /** English, for the JSON API and as the fallback. */
  text: string;
}

export type Failure =
  /** What was typed does not do (400). */
  | { kind: "invalid"; field: FieldName | undefined; problem: Problem }
  /** The username exists or is reserved by another invite (409). */
  | { kind: "taken"; field: "user"; problem: Problem }
  /** A `user-registering` veto or a reset for another account (403). */
  | { kind: "refused"; field: FieldName | undefined; problem: Problem }
  /** Another registration used the invite up first: the token is no longer valid. */
  | { kind: "used" }
  /** The per-IP registration throttle (429). */
  | { kind: "throttled"; problem: Problem }
  | { kind: "internal" };

export function problemText(t: Translator, p: Problem): string {
  return p.key === undefined ? p.text : t(p.key, p.params);
}

export const P = {
  empty: { key: "register.error.empty", text: "Please fill in all fields." },
  badUsername: { key: "register.error.badUsername", text: "This username contains invalid characters." },
  taken: { key: "register.error.taken", text: "This username is already in use." },
  mismatch: { key: "register.error.mismatch", text: "The two passwords are not the same." },
  notAllowed: { key: "register.error.notAllowed", text: "Registration is not allowed." },
} satisfies Record<string, Problem>;

const TOO_SHORT = /^Password is too short \(minimum (\d+) characters\)$/;

/** Known registrar and veto texts that have translations. */
const KNOWN: Record<string, { key: string; field: FieldName | undefined; kind: "invalid" | "refused" }> = {
  [BAD_USERNAME]: { key: P.badUsername.key, field: "user", kind: "invalid" },
  "Password must not include your username": { key: "register.error.containsUsername", field: "password", kind: "invalid" },
  "The password contains characters that are not allowed": { key: "register.error.badPasswordChars", field: "password", kind: "invalid" },
  [WRONG_USERNAME]: { key: "register.error.wrongUsername", field: "user", kind: "refused" },
  [WRONG_RESET_USERNAME]: { key: "register.error.wrongResetUsername", field: "user", kind: "refused" },
  [BLOCKLISTED]: { key: "register.error.blocklisted", field: undefined, kind: "refused" },
  [NOT_ALLOWLISTED]: { key: "register.error.notAllowlisted", field: undefined, kind: "refused" },
};

export function classify(err: StanzaError): Failure {
  const text = err.text ?? "";
  switch (err.condition) {
    case "conflict":
      return { kind: "taken", field: "user", problem: P.taken };
    case "policy-violation":
      return { kind: "throttled", problem: { key: "register.throttled.text", text: text || "Too many registrations" } };
    case "forbidden":
    case "not-acceptable":
    case "not-allowed": {
      if (err.condition === "forbidden" && text === ALREADY_USED) return { kind: "used" };
      const short = TOO_SHORT.exec(text);
      if (short) return { kind: "invalid", field: "password", problem: { key: "register.error.tooShort", params: { min: Number(short[1]) }, text } };
      const known = KNOWN[text];
      if (known) return { kind: known.kind, field: known.field, problem: { key: known.key, text } };
      // A veto from a hook we do not know the words of: its own text, else the general refusal.
      return { kind: "refused", field: undefined, problem: text ? { key: undefined, text } : P.notAllowed };
    }
    default:
      return { kind: "internal" };
  }
}
