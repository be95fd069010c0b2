// RFC 6121 §8.5.2 and §8.5.3 (with §3 and §4.3): presence arriving for a local bare or full JID.
import type { StanzaEvent } from "../../core/events.ts";
import { type BoundSession, type PresenceDeps, deliverToAvailable } from "./deps.ts";
import { isSubscriptionType } from "./subscription.ts";
import { inboundSubscription } from "./subscriptions.ts";
import { answerProbe } from "./probe.ts";

/** Does a local account exist? Cheap when it has a session. */
async function accountExists(d: PresenceDeps, host: string, username: string, bare: string): Promise<boolean> {
  for (const _ of d.ctx.sessions.resources(bare)) return true;
  return d.ctx.storage.accounts.exists(host, username);
}

/** RFC 6121 §8.5.2.1.3 and §8.5.2.2.3: presence for a local bare JID. */
export async function toBare(d: PresenceDeps, ev: StanzaEvent): Promise<boolean> {
  const { stanza, to, from } = ev;
  const type = stanza.attrs.type;
  const bare = to.bareString();
  if (isSubscriptionType(type)) {
    if (from.bare().equals(to.bare())) return true;
    // §8.5.1: nothing to say about an account that does not exist.
    if (!(await accountExists(d, to.domain, to.local!, bare))) return true;
    await inboundSubscription(d, stanza, type, to.bare(), from.bare());
    return true;
  }
  if (type === "probe") {
    await answerProbe(d, to.bare(), from.bare(), from);
    return true;
  }
  // Available, unavailable and error go to every available resource; with none, nowhere.
  if (type === undefined || type === "unavailable" || type === "error") deliverToAvailable(d, bare, stanza);
  return true;
}

/** RFC 6121 §8.5.3: presence for a local full JID. */
export async function toFull(d: PresenceDeps, ev: StanzaEvent): Promise<boolean> {
  const type = ev.stanza.attrs.type;
  // §3.1.3 and the like: subscription stanzas concern the account, whatever the resource.
  if (isSubscriptionType(type)) return toBare(d, { ...ev, to: ev.to.bare() });
  const session = d.ctx.sessions.get(ev.to) as BoundSession | undefined;
  if (type === "probe") {
    if (session) await answerProbe(d, ev.to.bare(), ev.from.bare(), ev.from, session);
    return true;
  }
  // §8.5.3.1: a connected resource gets it, available or not; §8.5.3.2.1: otherwise it is dropped.
  session?.send(ev.stanza);
  return true;
}
