// The closed list of server events; a misspelt hook name does not compile.
import type { Element } from "../xml/element.ts";
import type { Jid } from "../xmpp/jid.ts";
import type { Session } from "./session.ts";

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

  "server-started": Record<string, never>;
  "server-stopping": Record<string, never>;
}

export type ServerEventName = keyof ServerEvents;
