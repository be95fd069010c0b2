// RFC 6121 §3, §4.2–§4.6 and §4.7.1: presence a client sends, by type: broadcast, directed, subscription, probe.
import type { StanzaEvent } from "../../core/events.ts";
import { errorStanza } from "../../core/router.ts";
import { x } from "../../xml/element.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import { type BoundSession, type PresenceDeps, addressed, route } from "./deps.ts";
import { isSubscriptionType } from "./subscription.ts";
import { outboundSubscription } from "./subscriptions.ts";
import { broadcastAvailable, broadcastUnavailable } from "./broadcast.ts";
import { sendDirected } from "./directed.ts";

/** What a client sends (RFC 6121 §4.7.1 types; "error" goes on as it is). */
export async function fromClient(d: PresenceDeps, ev: StanzaEvent): Promise<boolean> {
  const session = ev.origin;
  if (session?.jid === undefined) return false;
  const s = session as BoundSession;
  const { stanza } = ev;
  const type = stanza.attrs.type;
  const user = s.jid.bare();
  if (type === undefined || type === "unavailable") {
    if (stanza.attrs.to === undefined) {
      if (type === undefined) await broadcastAvailable(d, s, stanza);
      else await broadcastUnavailable(d, s, stanza, true);
    } else {
      await sendDirected(d, s, stanza, ev.to);
    }
    return true;
  }
  if (isSubscriptionType(type)) {
    // §3.1.2 and the like: subscription stanzas go between bare JIDs; one to oneself means nothing.
    const contact = ev.to.bare();
    if (stanza.attrs.to !== undefined && !contact.equals(user)) await outboundSubscription(d, stanza, type, user, contact);
    return true;
  }
  if (type === "probe") {
    // §4.3.1: probes come from the bare JID; the contact's server decides whether to answer.
    const to = ev.to.bare();
    await route(d, addressed(x("presence", { type: "probe", from: user.toString() }), to.toString()), user, to);
    return true;
  }
  if (type === "error") return false;
  // RFC 6120 §8.3.3.1 condition for a stanza the server cannot make sense of; presence is otherwise never answered.
  const reply = errorStanza(stanza, new StanzaError("bad-request", `Unknown presence type '${type}'`));
  reply.attrs.from = user.toString();
  reply.attrs.to = s.jid.toString();
  s.send(reply);
  return true;
}
