// XEP-0160 1.0.1: stores messages no resource could take and delivers them, stamped per XEP-0203 2.0, at the next available presence.
import { defineModule } from "../../core/module.ts";
import type { StanzaEvent } from "../../core/events.ts";
import type { Session } from "../../core/session.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { messageType } from "../../xmpp/message-type.ts";
import { decodeStored, encodeStored, shouldStore } from "./codec.ts";

export default defineModule({
  name: "offline",
  xeps: [
    { xep: 160, version: "1.0.1" },
    { xep: 203, version: "2.0", note: "stamps on messages delivered from offline storage" },
    { xep: 334, version: "0.3.0", note: "`store` and `no-store` hints for offline storage" },
  ],
  async setup(ctx) {
    const { storage, router, log, sessions } = ctx;
    const limit = ctx.config.limits.offlineMaxPerUser;
    // Who may have stored messages, so a login with none (nearly all of them) asks the database nothing.
    // Only this module stores offline messages, so the set is read once and kept here.
    const holders = new Set((await storage.offline.holders()).map((h) => `${h.username}@${h.host}`));

    const bounce = (ev: StanzaEvent, text?: string): true => {
      router.bounce(ev.stanza, ev.from, new StanzaError("service-unavailable", text), ev.origin, ev.to);
      return true;
    };

    /** Pushes unless the queue is full; count and push share a transaction so the limit holds under load. */
    const store = (host: string, username: string, xml: string): Promise<boolean> =>
      storage.transaction(async (tx) => {
        if ((await tx.offline.count(host, username)) >= limit) return false;
        await tx.offline.push(host, username, xml, Date.now());
        holders.add(`${username}@${host}`);
        return true;
      });

    const undeliverable = async (ev: StanzaEvent): Promise<true> => {
      const { stanza, to } = ev;
      if (messageType(stanza) === "error") return true;
      const host = to.domain;
      const username = to.local!;
      // RFC 6121 §8.5.2.2 / §8.5.3.2: no such user → service-unavailable (never for errors, see above).
      if (!(await storage.accounts.exists(host, username))) return bounce(ev);
      if (!shouldStore(stanza)) return true;
      // XEP-0160 §2: a server that cannot store the message (storage off, queue full) answers service-unavailable.
      if (limit === 0) return bounce(ev);
      if (!(await store(host, username, encodeStored(stanza)))) return bounce(ev, "The recipient's offline message store is full");
      return true;
    };

    const deliver = async (session: Session): Promise<void> => {
      const username = session.username;
      // XEP-0160 §2: stored messages go to the resource that sends non-negative available presence.
      if (username === undefined || session.jid === undefined || session.priority < 0) return;
      const key = `${username}@${session.host}`;
      if (!holders.has(key)) return;
      holders.delete(key);
      const stored = await storage.offline.popAll(session.host, username);
      if (stored.length === 0) return;
      if (sessions.get(session.jid) !== session) {
        // The session went away while we read: keep the messages for the next one.
        await storage.transaction(async (tx) => {
          for (const m of stored) await tx.offline.push(session.host, username, m.stanza, m.stamp);
        });
        holders.add(key);
        return;
      }
      for (const m of stored) {
        let el;
        try {
          el = decodeStored(m.stanza, session.host, m.stamp);
        } catch (err) {
          log.warn({ err, user: `${username}@${session.host}` }, "dropped an unreadable offline message");
          continue;
        }
        session.send(el);
      }
    };

    return {
      hooks: {
        "message/undeliverable": undeliverable,
        "session-available": ({ session }) => deliver(session),
      },
      disco: { features: [NS.OFFLINE] },
    };
  },
});
