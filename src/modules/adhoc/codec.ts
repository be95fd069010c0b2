// XEP-0050 1.3.0: the <command/> request and response, and the command-specific error conditions.
import { type Element, x } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { type ErrorType, StanzaError, type StanzaErrorCondition } from "../../xmpp/stanza-error.ts";
import { type DataForm, decodeForm, encodeForm, findForm, FormError } from "../../codecs/data-forms.ts";
import type { CommandAction, CommandNote, StageAction } from "./api.ts";

const ACTIONS: readonly string[] = ["execute", "cancel", "prev", "next", "complete"];

export type CommandCondition = "malformed-action" | "bad-action" | "bad-locale" | "bad-payload" | "bad-sessionid" | "session-expired";

/** A stanza error carrying XEP-0050's specific condition inside <error/>, after the text (RFC 6120 §8.3.2). */
export class CommandError extends StanzaError {
  readonly specific: CommandCondition;
  constructor(condition: StanzaErrorCondition, specific: CommandCondition, text?: string, type?: ErrorType) {
    super(condition, text, type);
    this.specific = specific;
  }

  override toElement(): Element {
    const el = super.toElement();
    el.children.push(x(this.specific, { xmlns: NS.COMMANDS }));
    return el;
  }
}

export interface CommandRequest {
  node: string;
  action: CommandAction;
  sessionId: string | undefined;
  form: DataForm | undefined;
}

export function decodeCommand(el: Element): CommandRequest {
  const node = el.attrs.node;
  if (node === undefined || node === "") throw new StanzaError("bad-request", "A command needs a node");
  const action = el.attrs.action ?? "execute";
  if (!ACTIONS.includes(action)) throw new CommandError("bad-request", "malformed-action", `Unknown action '${action}'`);
  const sessionId = el.attrs.sessionid === "" ? undefined : el.attrs.sessionid;
  const formEl = findForm(el);
  let form: DataForm | undefined;
  if (formEl) {
    try {
      form = decodeForm(formEl);
    } catch (e) {
      if (e instanceof FormError) throw new CommandError("bad-request", "bad-payload", e.message);
      throw e;
    }
    // XEP-0050 §3.4.1: a cancel-typed form is to be taken as a submission.
    if (form.type === "cancel") form.type = "submit";
  }
  return { node, action: action as CommandAction, sessionId, form };
}

export interface CommandResponse {
  node: string;
  sessionId: string;
  status: "executing" | "completed" | "canceled";
  actions?: { offered: StageAction[]; execute: StageAction };
  notes?: CommandNote[];
  form?: DataForm;
}

export function encodeCommand(r: CommandResponse): Element {
  return x(
    "command",
    { xmlns: NS.COMMANDS, node: r.node, sessionid: r.sessionId, status: r.status },
    r.actions ? x("actions", { execute: r.actions.execute }, r.actions.offered.map((a) => x(a))) : undefined,
    (r.notes ?? []).map((n) => x("note", { type: n.type }, n.text)),
    r.form ? encodeForm(r.form) : undefined,
  );
}

const NOT_PERMITTED = "You don't have permission to execute this command";

/** Prosody's refusal: forbidden, echoing a canceled <command/> with the reason as an error note. */
export function forbidden(node: string): StanzaError {
  return new StanzaError("forbidden", NOT_PERMITTED, "auth", [
    x("command", { xmlns: NS.COMMANDS, node, status: "canceled" }, x("note", { type: "error" }, NOT_PERMITTED)),
  ]);
}
