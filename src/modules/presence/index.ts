// RFC 6121 (March 2011) §3 and §4: presence subscriptions (with §3.4 pre-approval) and presence exchange.
import { defineModule } from "../../core/module.ts";
import type { StanzaEvent } from "../../core/events.ts";
import type { Session } from "../../core/session.ts";
import { errorStanza } from "../../core/router.ts";
import { x } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import { makeJid } from "../../xmpp/jid.ts";
import type { RosterApi } from "../roster/api.ts";
import { KeyedLock } from "../roster/keyed-lock.ts";
import { type BoundSession, type PresenceDeps, addressed, deliverToAvailable, route } from "./deps.ts";
import { JidMemo } from "./jid-memo.ts";
import { isSubscriptionType } from "./subscription.ts";
import { inboundSubscription, outboundSubscription } from "./subscriptions.ts";
import { broadcastAvailable, broadcastUnavailable } from "./broadcast.ts";
import { sendDirected } from "./directed.ts";
import { answerProbe } from "./probe.ts";
import { peekPresenceState } from "./session-state.ts";

/** What a client sends (RFC 6121 §4.7.1 types; "error" goes on as it is). */
async function fromClient(d: PresenceDeps, ev: StanzaEvent): Promise<boolean> {
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

/** Does a local account exist? Cheap when it has a session. */
async function accountExists(d: PresenceDeps, host: string, username: string, bare: string): Promise<boolean> {
  for (const _ of d.ctx.sessions.resources(bare)) return true;
  return d.ctx.storage.accounts.exists(host, username);
}

/** RFC 6121 §8.5.2.1.3 and §8.5.2.2.3: presence for a local bare JID. */
async function toBare(d: PresenceDeps, ev: StanzaEvent): Promise<boolean> {
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
async function toFull(d: PresenceDeps, ev: StanzaEvent): Promise<boolean> {
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

export default defineModule({
  name: "presence",
  depends: ["roster"],
  xeps: [
    {
      xep: "RFC 6121",
      version: "March 2011",
      note: "§3 presence subscriptions with §3.4 pre-approval, §4 presence exchange, §4.6 directed presence",
    },
  ],
  setup(ctx) {
    const d: PresenceDeps = { ctx, roster: ctx.use<RosterApi>("roster"), jids: new JidMemo(), pairs: new KeyedLock() };
    const { log } = ctx;

    /** A hook never throws into the router or the c2s session: bad input or a failing store is logged and dropped. */
    const safe =
      <P>(what: string, fn: (p: P) => Promise<boolean | void>) =>
      async (p: P): Promise<boolean> => {
        try {
          return (await fn(p)) ?? true;
        } catch (err) {
          log.error({ err }, `${what} failed`);
          return true;
        }
      };

    const closed = async ({ session, wasBound }: { session: Session; wasBound: boolean }): Promise<void> => {
      if (!wasBound || session.jid === undefined) return;
      const st = peekPresenceState(session);
      if (session.presence === undefined && (!st || st.directed.size === 0)) return;
      await broadcastUnavailable(d, session as BoundSession, undefined, false);
    };

    const userDeleted = async ({ host, username }: { host: string; username: string }): Promise<void> => {
      // Runs before the roster module forgets the account, so the contacts still get the unavailable.
      const bare = makeJid(username, host).bareString();
      for (const s of [...ctx.sessions.resources(bare)]) {
        if (s.jid !== undefined) await broadcastUnavailable(d, s as BoundSession, undefined, false);
      }
    };

    return {
      hooks: {
        "out/presence": safe("outbound presence", (ev: StanzaEvent) => fromClient(d, ev)),
        "in/presence/bare": safe("inbound presence", (ev: StanzaEvent) => toBare(d, ev)),
        "in/presence/full": safe("inbound presence", (ev: StanzaEvent) => toFull(d, ev)),
        "session-closed": safe("unavailable presence at session end", closed),
        "user-deleted": { priority: 100, handler: safe("unavailable presence of a deleted account", userDeleted) },
      },
      streamFeatures: [{ stage: "post-auth", element: () => x("sub", { xmlns: NS.PRE_APPROVAL }) }],
    };
  },
});
