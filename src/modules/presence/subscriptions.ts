// RFC 6121 §3 (subscription request, approval, cancellation, unsubscription, §3.4 pre-approval), both directions.
import { Element } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import type { Jid } from "../../xmpp/jid.ts";
import type { RosterItem } from "../../storage/types.ts";
import {
  type InboundDecision,
  type OutboundDecision,
  type SubState,
  type SubscriptionType,
  inbound,
  itemFor,
  outbound,
  stateOf,
} from "./subscription.ts";
import {
  type PresenceDeps,
  deliverToAvailable,
  deliverToInterested,
  presenceOf,
  route,
  sendCurrentPresence,
  sendUnavailableFromEach,
} from "./deps.ts";

function stamped(stanza: Element, from: Jid, to: Jid): Element {
  return new Element("presence", stanza.ns, { ...stanza.attrs, from: from.toString(), to: to.toString() }, stanza.children);
}

/**
 * Applies one Appendix A transition to `user`'s roster item for `contact` and its pending-in record, holding the
 * pair's lock; `decide` sees the state as stored right then. Pushes the item when it changed.
 */
async function transition<D extends { state: SubState }>(
  d: PresenceDeps,
  user: Jid,
  contact: Jid,
  decide: (s: SubState) => D,
  pendingStanza?: () => string,
): Promise<{ was: SubState; decision: D }> {
  const host = user.domain;
  const username = user.local!;
  const jid = contact.toString();
  return d.pairs.run(`${user.bareString()}\n${jid}`, async () => {
    const pendingIn = await d.roster.hasPendingIn(host, username, jid);
    let was: SubState | undefined;
    let decision: D | undefined;
    await d.roster.updateItem(host, username, jid, (cur: Readonly<RosterItem> | undefined) => {
      was = stateOf(cur, pendingIn);
      decision = decide(was);
      return itemFor(cur, jid, decision.state);
    });
    if (!was || !decision) throw new Error("roster update did not run");
    if (!was.pendingIn && decision.state.pendingIn && pendingStanza) {
      await d.roster.addPendingIn(host, username, jid, pendingStanza());
    } else if (was.pendingIn && !decision.state.pendingIn) {
      await d.roster.removePendingIn(host, username, jid);
    }
    return { was, decision };
  });
}

/** A.2: `user` (bare) sent `type` to `contact` (bare). Routing happens after the lock is released. */
export async function outboundSubscription(d: PresenceDeps, stanza: Element, type: SubscriptionType, user: Jid, contact: Jid): Promise<void> {
  const { was, decision } = await transition<OutboundDecision>(d, user, contact, (s) => outbound(type, s));
  if (!decision.route) return;
  // §3.2.2: while the contact is still subscribed, it learns that the user's resources are gone.
  if (type === "unsubscribed" && was.from) await sendUnavailableFromEach(d, user, contact);
  await route(d, stamped(stanza, user, contact), user, contact);
  // §3.1.5: the new subscriber gets the user's current presence.
  if (type === "subscribed" && !was.from && decision.state.from) await sendCurrentPresence(d, user, contact);
}

/** A.3: `contact` sent `type` to local account `user`; stanzas that change nothing are dropped. */
export async function inboundSubscription(d: PresenceDeps, stanza: Element, type: SubscriptionType, user: Jid, contact: Jid): Promise<void> {
  const userBare = user.bareString();
  const delivered = stamped(stanza, contact, user);
  const { was, decision } = await transition<InboundDecision>(
    d,
    user,
    contact,
    (s) => inbound(type, s),
    () => new Element("presence", undefined, delivered.attrs, delivered.children).toString(NS.CLIENT),
  );
  if (decision.autoReply) {
    // §3.1.3 (already subscribed) and §3.4.2 (pre-approved): answered for the user, who need not see it.
    await route(d, presenceOf("subscribed", user, contact), user, contact);
    await sendCurrentPresence(d, user, contact);
  }
  if (decision.deliver) {
    // §3.1.3: a request goes to the available resources (and waits in the pending store for the next one).
    if (type === "subscribe") deliverToAvailable(d, userBare, delivered);
    else deliverToInterested(d, userBare, delivered);
  }
  // §3.3.3: the former subscriber learns that the user's resources are gone.
  if (type === "unsubscribe" && was.from && !decision.state.from) await sendUnavailableFromEach(d, user, contact);
}
