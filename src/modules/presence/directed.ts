// RFC 6121 §4.6: directed presence, remembered per session so its targets learn when the session goes away.
import type { Element } from "../../xml/element.ts";
import type { Jid } from "../../xmpp/jid.ts";
import { hasFrom } from "../roster/api.ts";
import { type BoundSession, type PresenceDeps, addressed, route } from "./deps.ts";
import { presenceState } from "./session-state.ts";

/** Enough for any real use; past it the oldest target is forgotten rather than memory growing without end. */
export const MAX_DIRECTED_TARGETS = 1000;

export async function sendDirected(d: PresenceDeps, session: BoundSession, stanza: Element, to: Jid): Promise<void> {
  const target = to.toString();
  const user = session.jid.bare();
  const st = presenceState(session);
  if (stanza.attrs.type === "unavailable") {
    st.directed.delete(target);
  } else if (to.bareString() !== user.bareString()) {
    // §4.6.2: a subscriber gets the broadcast unavailable anyway, unless this session never broadcast.
    const item = await d.roster.getItem(user.domain, user.local!, to.bareString());
    if (!hasFrom(item) || session.presence === undefined) {
      if (st.directed.size >= MAX_DIRECTED_TARGETS && !st.directed.has(target)) {
        st.directed.delete(st.directed.values().next().value!);
      }
      st.directed.add(target);
    }
  }
  await route(d, addressed(stanza, target), session.jid, to);
}
