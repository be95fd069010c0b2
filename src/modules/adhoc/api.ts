// XEP-0050 1.3.0: the API other modules use to offer ad-hoc commands on the server's domains.
import type { Element } from "../../xml/element.ts";
import type { Jid } from "../../xmpp/jid.ts";
import type { DataForm } from "../../codecs/data-forms.ts";

export type CommandAction = "execute" | "cancel" | "prev" | "next" | "complete";
/** The actions a stage may offer besides cancel (which is always allowed). */
export type StageAction = "prev" | "next" | "complete";
export type NoteType = "info" | "warn" | "error";

export interface CommandNote {
  type: NoteType;
  text: string;
}

/** Who runs a command, as the framework found out. */
export interface Requester {
  /** Full JID of the requester. */
  jid: Jid;
  /** The domain the command runs on (the `to` of the request). */
  host: string;
  /** An account of `host` (not merely of another domain this server hosts). */
  isLocal: boolean;
  /** Local and accounts.role === "admin". */
  isAdmin: boolean;
  /** The account's primary role when local. */
  role: string | undefined;
}

export interface CommandInvocation<S = unknown> {
  requester: Requester;
  /**
   * What to do: "execute" on the first request (or "complete"/"next" when the requester asked so);
   * on later stages "execute" is resolved to the default action the previous stage offered.
   */
  action: "execute" | StageAction;
  /** The data form submitted with this request, if any. */
  form: DataForm | undefined;
  /** 0 for the request that opens a session, then 1, 2… (counts requests, so a `prev` counts too). */
  stage: number;
  /** What the previous stage returned in `state`. */
  state: S | undefined;
  /** The request's <command/> element, for payloads other than a data form. */
  command: Element;
}

/** More to fill in: the session stays open (status executing). */
export interface ExecutingOutcome<S = unknown> {
  status: "executing";
  form: DataForm;
  /** Offered actions; default ["complete"]. */
  actions?: StageAction[];
  /** What "execute" means at this stage; default the last of `actions`. */
  defaultAction?: StageAction;
  notes?: CommandNote[];
  /** Kept with the session and handed to the next stage. */
  state?: S;
}

/** Done (status completed): a result form and/or notes. A failure is a completed command with an error note. */
export interface CompletedOutcome {
  status: "completed";
  form?: DataForm;
  notes?: CommandNote[];
}

export type CommandOutcome<S = unknown> = ExecutingOutcome<S> | CompletedOutcome;

export interface CommandSpec<S = unknown> {
  node: string;
  /** Human-readable name, shown in the command list. */
  name: string;
  /**
   * Only for accounts of the host it runs on: others do not see it, and running it answers a completed
   * command with the note "This command is only available to users of HOST" (as Prosody's invite commands).
   */
  localOnly?: boolean;
  /** Whether this requester may see and run it. Those refused get forbidden. */
  allowed(requester: Jid, isAdmin: boolean): boolean;
  /** One stage. Throw a StanzaError to answer with an IQ error (the session ends). */
  handler(inv: CommandInvocation<S>): CommandOutcome<S> | Promise<CommandOutcome<S>>;
}

export interface AdhocApi {
  /** Offers the command on every hosted domain; returns a function that withdraws it. Nodes are unique. */
  register<S>(cmd: CommandSpec<S>): () => void;
}
