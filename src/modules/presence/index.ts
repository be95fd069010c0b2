// RFC 6121 (March 2011) §3 and §4: presence subscriptions (with §3.4 pre-approval) and presence exchange.
import { defineModule } from "../../core/module.ts";
import type { StanzaEvent } from "../../core/events.ts";
import type { Session } from "../../core/session.ts";
import { x } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { makeJid } from "../../xmpp/jid.ts";
import type { RosterApi } from "../roster/api.ts";
import { KeyedLock } from "../roster/keyed-lock.ts";
import type { BoundSession, PresenceDeps } from "./deps.ts";
import { JidMemo } from "./jid-memo.ts";
import { broadcastUnavailable } from "./broadcast.ts";
import { peekPresenceState } from "./session-state.ts";
import { fromClient } from "./outbound.ts";
import { toBare, toFull } from "./inbound.ts";

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

    /** A stanza hook never throws into the router or the c2s session: a failure is logged and the stanza dropped. */
    const safe =
      (what: string, fn: (ev: StanzaEvent) => Promise<boolean>) =>
      async (ev: StanzaEvent): Promise<boolean> => {
        try {
          return await fn(ev);
        } catch (err) {
          log.error({ err }, `${what} failed`);
          return true;
        }
      };

    /** A lifecycle hook never stops the other modules' hooks for the same event (it returns nothing). */
    const quiet =
      <P>(what: string, fn: (p: P) => Promise<void>) =>
      async (p: P): Promise<void> => {
        try {
          await fn(p);
        } catch (err) {
          log.error({ err }, `${what} failed`);
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
        "out/presence": safe("outbound presence", (ev) => fromClient(d, ev)),
        "in/presence/bare": safe("inbound presence", (ev) => toBare(d, ev)),
        "in/presence/full": safe("inbound presence", (ev) => toFull(d, ev)),
        "session-closed": quiet("unavailable presence at session end", closed),
        "user-deleted": { priority: 100, handler: quiet("unavailable presence of a deleted account", userDeleted) },
      },
      streamFeatures: [{ stage: "post-auth", element: () => x("sub", { xmlns: NS.PRE_APPROVAL }) }],
    };
  },
});
