// What modules see of a client session; the c2s layer owns the socket and the state machine.
import type { Element } from "../xml/element.ts";
import type { Jid } from "../xmpp/jid.ts";
import type { StreamError } from "../xmpp/stream-error.ts";

export interface Session {
  readonly id: string;
  /** Hosted domain this stream is for (from the stream header's `to`). */
  readonly host: string;
  readonly ip: string;
  readonly secure: boolean;
  readonly authenticated: boolean;
  /** Localpart, once authenticated. */
  readonly username: string | undefined;
  /** Full JID, once a resource is bound. */
  readonly jid: Jid | undefined;
  /** Last available presence the client broadcast; undefined while unavailable. */
  presence: Element | undefined;
  priority: number;
  /** The client has fetched the roster (RFC 6121 "interested resource"). */
  rosterRequested: boolean;
  /** Per-module state, keyed by module name. */
  readonly state: Map<string, unknown>;
  send(stanza: Element): void;
  close(error?: StreamError): void;
}

export function isAvailable(s: Session): boolean {
  return s.presence !== undefined;
}
