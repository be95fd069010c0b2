// The closed list of server events; a misspelt hook name does not compile.
import type { Element } from "../xml/element.ts";
import type { Jid } from "../xmpp/jid.ts";
import type { Session } from "./session.ts";
import type { StanzaError } from "../xmpp/stanza-error.ts";
import type { InviteRecord } from "../storage/types.ts";
import type { RegistrationInvite, RegistrationRequest } from "../modules/accounts/api.ts";

export interface UserRegistering {
  host: string;
  /** Prepared localpart. */
  username: string;
  ip: string | undefined;
  via: RegistrationRequest["via"];
  invite: RegistrationInvite | undefined;
  /** Whether the account exists already (a reset invite needs it to). */
  exists: boolean;
  veto: StanzaError | undefined;
}

/** A stanza on its way: `from` is stamped and trusted, `to` is prepared. */
export interface StanzaEvent {
  stanza: Element;
  from: Jid;
  to: Jid;
  /** The local client session it came from, if any. */
  origin: Session | undefined;
}

export interface ServerEvents {
  /** Outbound processing on the sender's side, before routing (e.g. roster updates for subscriptions). */
  "out/presence": StanzaEvent;
  "out/message": StanzaEvent;
  /** Inbound processing at a local destination. `bare` = to a local account's bare JID, `full` = to a full JID, `host` = to the domain. */
  "in/presence/bare": StanzaEvent;
  "in/presence/full": StanzaEvent;
  "in/presence/host": StanzaEvent;
  "in/message/bare": StanzaEvent;
  "in/message/full": StanzaEvent;
  "in/message/host": StanzaEvent;
  /** A stanza that could not be delivered to an online resource and was not handled otherwise. */
  "message/undeliverable": StanzaEvent;

  "session-authenticated": { session: Session };
  "session-bound": { session: Session };
  /** After the session left the registry; `wasBound` tells whether it ever had a resource. */
  "session-closed": { session: Session; wasBound: boolean };
  /** The client sent its first available presence. */
  "session-available": { session: Session };

  "user-created": { host: string; username: string };
  "user-deleted": { host: string; username: string };
  "user-password-changed": { host: string; username: string };

  /**
   * Veto point before any registration (XEP-0077, web, API): a handler that refuses sets `veto` to a
   * StanzaError (and may return true to stop further checks). Runs before the account's transaction.
   */
  "user-registering": UserRegistering;
  /** After the account's transaction committed. */
  "user-registered": { host: string; username: string; via: RegistrationRequest["via"]; ip: string | undefined; invite: RegistrationInvite | undefined };
  /** A reset invite set a new password (after commit). */
  "user-password-reset": { host: string; username: string; via: RegistrationRequest["via"]; invite: RegistrationInvite };

  /** Before an invite is stored: handlers may add groups/roles or set the landing page, never the token or type. */
  "invite-created": { invite: InviteRecord; token: string; landingPage: string | undefined };
  /** After an invite was consumed in a committed transaction. */
  "invite-used": { invite: InviteRecord; username: string; via: "ibr" | "web" | "api" | "subscription" | "reset" };
  "invite-deleted": { host: string; id: string; reason: "revoked" | "expired" | "consumed" };

  "server-started": Record<string, never>;
  "server-stopping": Record<string, never>;
}

export type ServerEventName = keyof ServerEvents;
