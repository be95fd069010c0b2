// RFC 6121 §4.6: what the presence module remembers per session (directed presence targets), and §4.7.2.3 priority.
import type { Element } from "../../xml/element.ts";
import type { Session } from "../../core/session.ts";

interface PresenceState {
  /** Full or bare JIDs this session sent directed available presence to, outside its subscriptions (§4.6.2). */
  directed: Set<string>;
}

const KEY = "presence";

export function presenceState(session: Session): PresenceState {
  let st = session.state.get(KEY) as PresenceState | undefined;
  if (st === undefined) {
    st = { directed: new Set() };
    session.state.set(KEY, st);
  }
  return st;
}

export function peekPresenceState(session: Session): PresenceState | undefined {
  return session.state.get(KEY) as PresenceState | undefined;
}

const PRIORITY = /^[+-]?\d{1,4}$/;

/** §4.7.2.3: an integer from -128 to 127; absent or invalid counts as 0. */
export function priorityOf(presence: Element): number {
  const text = presence.getChildText("priority")?.trim();
  if (text === undefined || !PRIORITY.test(text)) return 0;
  const n = Number.parseInt(text, 10);
  return n < -128 || n > 127 ? 0 : n;
}
