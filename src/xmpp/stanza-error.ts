// RFC 6120 §8.3 stanza errors: what a handler throws or returns to answer a request with an error.
import { Element, x } from "../xml/element.ts";
import { NS } from "./namespaces.ts";

export type ErrorType = "auth" | "cancel" | "continue" | "modify" | "wait";

export type StanzaErrorCondition =
  | "bad-request"
  | "conflict"
  | "feature-not-implemented"
  | "forbidden"
  | "gone"
  | "internal-server-error"
  | "item-not-found"
  | "jid-malformed"
  | "not-acceptable"
  | "not-allowed"
  | "not-authorized"
  | "policy-violation"
  | "recipient-unavailable"
  | "redirect"
  | "registration-required"
  | "remote-server-not-found"
  | "remote-server-timeout"
  | "resource-constraint"
  | "service-unavailable"
  | "subscription-required"
  | "undefined-condition"
  | "unexpected-request";

/** The type RFC 6120 §8.3.3 suggests for each condition. */
const DEFAULT_TYPE: Record<StanzaErrorCondition, ErrorType> = {
  "bad-request": "modify",
  conflict: "cancel",
  "feature-not-implemented": "cancel",
  forbidden: "auth",
  gone: "cancel",
  "internal-server-error": "cancel",
  "item-not-found": "cancel",
  "jid-malformed": "modify",
  "not-acceptable": "modify",
  "not-allowed": "cancel",
  "not-authorized": "auth",
  "policy-violation": "modify",
  "recipient-unavailable": "wait",
  redirect: "modify",
  "registration-required": "auth",
  "remote-server-not-found": "cancel",
  "remote-server-timeout": "wait",
  "resource-constraint": "wait",
  "service-unavailable": "cancel",
  "subscription-required": "auth",
  "undefined-condition": "cancel",
  "unexpected-request": "wait",
};

export class StanzaError extends Error {
  readonly condition: StanzaErrorCondition;
  readonly type: ErrorType;
  readonly text: string | undefined;
  /** Extra application-specific children of `<error/>`, or siblings to echo (e.g. an ad-hoc `<command/>`). */
  readonly extra: Element[];

  constructor(condition: StanzaErrorCondition, text?: string, type?: ErrorType, extra: Element[] = []) {
    super(text ?? condition);
    this.condition = condition;
    this.type = type ?? DEFAULT_TYPE[condition];
    this.text = text;
    this.extra = extra;
  }

  toElement(): Element {
    return x(
      "error",
      { type: this.type },
      x(this.condition, { xmlns: NS.STANZAS }),
      this.text ? x("text", { xmlns: NS.STANZAS }, this.text) : undefined,
    );
  }
}

export function isStanzaError(e: unknown): e is StanzaError {
  return e instanceof StanzaError;
}

/** Reads the condition of an `<error/>` child, for codecs and tests. */
export function readStanzaError(stanza: Element): { type: string; condition: string; text?: string } | undefined {
  const err = stanza.getChild("error");
  if (!err) return undefined;
  let condition = "undefined-condition";
  let text: string | undefined;
  for (const c of err.elements()) {
    if (c.ns !== NS.STANZAS) continue;
    if (c.name === "text") text = c.text();
    else condition = c.name;
  }
  return { type: err.attrs.type ?? "", condition, text };
}
