// RFC 6121 (March 2011) §2: roster management with versioning (§2.6), kept in memory while the account is online.
import { defineModule } from "../../core/module.ts";
import type { Session } from "../../core/session.ts";
import { x } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import type { RosterApi } from "./api.ts";
import { RosterService, accountKey } from "./service.ts";
import { rosterGet, rosterSet } from "./handlers.ts";
import { cleanUpDeletedUser } from "./user-deleted.ts";

export type { RosterApi, RosterSnapshot, PushedItem, RemovedItem, ItemUpdater, UpdateOptions } from "./api.ts";
export { hasFrom, hasTo } from "./api.ts";

export default defineModule<RosterApi>({
  name: "roster",
  xeps: [{ xep: "RFC 6121", version: "March 2011", note: "§2 roster management, §2.6 roster versioning" }],
  async setup(ctx) {
    const { sessions, router, log, storage } = ctx;
    const service = new RosterService(storage.rosters, sessions, log);
    await service.loadPendingHolders();
    const removal = { router, sessions };

    const bound = ({ session }: { session: Session }): void => {
      if (session.username === undefined) return;
      void service.cache.load(accountKey(session.host, session.username), session.host, session.username);
    };

    const closed = ({ session }: { session: Session }): void => {
      if (session.username === undefined) return;
      const key = accountKey(session.host, session.username);
      for (const _ of sessions.resources(key)) return;
      service.cache.drop(key);
    };

    return {
      api: service,
      iq: [
        { type: "get", ns: NS.ROSTER, name: "query", scope: "account", handler: rosterGet(service) },
        { type: "set", ns: NS.ROSTER, name: "query", scope: "account", handler: rosterSet(service, removal) },
      ],
      streamFeatures: [{ stage: "post-auth", element: () => x("ver", { xmlns: NS.ROSTER_VER }) }],
      hooks: {
        "session-bound": bound,
        // Last, so presence still reads the cached roster while it broadcasts the session's unavailable.
        "session-closed": { handler: closed, priority: -100 },
        "user-deleted": {
          priority: -100,
          handler: ({ host, username }) =>
            cleanUpDeletedUser(service, { ...removal, storage, log, isLocalHost: ctx.isLocalHost }, host, username).catch(
              (err: unknown) => log.error({ err }, "roster clean-up after account deletion failed"),
            ),
        },
      },
    };
  },
});
