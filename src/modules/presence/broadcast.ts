// RFC 6121 §4.2, §4.4 and §4.5: initial presence (with probes), presence updates and unavailable presence.
import { Element } from "../../xml/element.ts";
import { parseElement } from "../../xml/parse-element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import type { Jid } from "../../xmpp/jid.ts";
import type { RosterItem } from "../../storage/types.ts";
import { hasFrom, hasTo } from "../roster/api.ts";
import { type BoundSession, type PresenceDeps, addressed, availableSessions, presenceOf, route } from "./deps.ts";
import { answerProbe } from "./probe.ts";
import { peekPresenceState, priorityOf } from "./session-state.ts";

/** The presence as kept in `session.presence`: stamped from the full JID, addressed to no one. */
function template(stanza: Element, from: Jid): Element {
  const attrs: Record<string, string> = { ...stanza.attrs, from: from.toString() };
  delete attrs.to;
  return new Element("presence", stanza.ns, attrs, stanza.children);
}

/**
 * Sends `presence` to every contact with subscription from/both; returns the bare JIDs it went to.
 * Stops when `stillCurrent` turns false (the session went unavailable meanwhile), so no available presence
 * can arrive after the unavailable one.
 */
async function toSubscribers(
  d: PresenceDeps,
  session: BoundSession,
  items: readonly RosterItem[],
  presence: Element,
  stillCurrent: () => boolean = () => true,
): Promise<Set<string>> {
  const user = session.jid;
  const sent = new Set<string>();
  for (const item of items) {
    if (!hasFrom(item)) continue;
    if (!stillCurrent()) break;
    const contact = d.jids.get(item.jid);
    if (!contact) continue;
    sent.add(item.jid);
    await route(d, addressed(presence, item.jid), user, contact);
  }
  return sent;
}

/** §4.2.2 and §4.4.2: also to every available resource of the user, the sender included. */
function toOwnResources(d: PresenceDeps, session: BoundSession, presence: Element): void {
  for (const s of availableSessions(d, session.jid.bareString())) s.send(addressed(presence, s.jid.toString()));
}

/** Available presence broadcast by a client: initial presence the first time, an update after that. */
export async function broadcastAvailable(d: PresenceDeps, session: BoundSession, stanza: Element): Promise<void> {
  const initial = session.presence === undefined;
  const presence = template(stanza, session.jid);
  session.presence = presence;
  session.priority = priorityOf(stanza);
  const user = session.jid.bare();
  const current = () => session.presence === presence;
  const { items } = await d.roster.getRoster(user.domain, user.local!);
  if (!current()) return;
  await toSubscribers(d, session, items, presence, current);
  if (!current()) return;
  toOwnResources(d, session, presence);
  if (!initial) return;

  for (const item of items) {
    if (!hasTo(item)) continue;
    const contact = d.jids.get(item.jid);
    if (!contact) continue;
    if (d.ctx.isLocalHost(contact.domain)) {
      // A local probe is answered in-process, to the new resource only, with the same rule as a routed one.
      await answerProbe(d, contact, user, session.jid);
    } else {
      await route(d, presenceOf("probe", user, contact), user, contact);
    }
  }
  if (!current()) return;
  // The user's other available resources, so the new one knows them.
  for (const s of availableSessions(d, user.bareString())) {
    if (s !== session) session.send(addressed(s.presence!, session.jid.toString()));
  }
  await redeliverPendingIn(d, session);
  await d.ctx.events.emit("session-available", { session });
}

/** §3.1.3: subscription requests still unanswered go to each resource that becomes available. */
async function redeliverPendingIn(d: PresenceDeps, session: BoundSession): Promise<void> {
  const pending = await d.roster.listPendingIn(session.jid.domain, session.jid.local!);
  for (const p of pending) {
    try {
      session.send(parseElement(p.stanza, NS.CLIENT));
    } catch (err) {
      d.ctx.log.warn({ err, contact: p.jid }, "dropped an unreadable stored subscription request");
    }
  }
}

/**
 * §4.5.2: unavailable presence (the client's, or one we make when the session ends) to the subscribers and the
 * user's other available resources when the session was available, and to every target of directed presence.
 * `echo`: the session itself gets it too (it is still connected and sent it).
 */
export async function broadcastUnavailable(d: PresenceDeps, session: BoundSession, stanza: Element | undefined, echo: boolean): Promise<void> {
  const wasAvailable = session.presence !== undefined;
  session.presence = undefined;
  session.priority = 0;
  const unavailable = stanza ? template(stanza, session.jid) : presenceOf("unavailable", session.jid, session.jid);
  if (!stanza) delete unavailable.attrs.to;
  let sent = new Set<string>();
  if (wasAvailable) {
    const { items } = await d.roster.getRoster(session.jid.domain, session.jid.local!);
    sent = await toSubscribers(d, session, items, unavailable);
    for (const s of availableSessions(d, session.jid.bareString())) s.send(addressed(unavailable, s.jid.toString()));
    if (echo) session.send(addressed(unavailable, session.jid.toString()));
  }
  const st = peekPresenceState(session);
  if (!st || st.directed.size === 0) return;
  const targets = [...st.directed];
  st.directed.clear();
  for (const t of targets) {
    const to = d.jids.get(t);
    if (!to || sent.has(to.bareString())) continue;
    await route(d, addressed(unavailable, t), session.jid, to);
  }
}
