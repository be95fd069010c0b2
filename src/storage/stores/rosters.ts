// RosterStore over kysely: items, a per-user version counter bumped by every change, pending inbound subscriptions.
import type { Roster, RosterItem, RosterStore, Subscription } from "../types.ts";
import { atomic, byString, toFlag, toNumber, touched, type Db } from "./common.ts";
import { prepared } from "./prepared.ts";

interface ItemRow {
  jid: string;
  name: string | null;
  subscription: string;
  ask: number;
  approved: number;
  groups: string;
}

function parseGroups(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((g): g is string => typeof g === "string") : [];
  } catch {
    return [];
  }
}

function itemFrom(r: ItemRow): RosterItem {
  const item: RosterItem = {
    jid: r.jid,
    subscription: r.subscription as Subscription,
    ask: toNumber(r.ask) !== 0,
    approved: toNumber(r.approved) !== 0,
    groups: parseGroups(r.groups),
  };
  if (r.name !== null) item.name = r.name;
  return item;
}

/** Increments (or starts at 1) the user's roster version and returns it. */
async function bumpVersion(db: Db, host: string, username: string): Promise<number> {
  const r = await db
    .insertInto("roster_versions")
    .values({ host, username, version: 1 })
    .onConflict((oc) =>
      oc.columns(["host", "username"]).doUpdateSet((eb) => ({ version: eb(eb.ref("roster_versions.version"), "+", 1) })),
    )
    .returning("version")
    .executeTakeFirstOrThrow();
  return toNumber(r.version);
}

// One statement so version and items come from the same snapshot. Every item write bumps the version,
// so no version row means no items.
const selectRoster = prepared((db: Db, host: string, username: string) =>
  db
    .selectFrom("roster_versions as v")
    .leftJoin("roster_items as i", (j) => j.onRef("i.host", "=", "v.host").onRef("i.username", "=", "v.username"))
    .select(["v.version", "i.jid", "i.name", "i.subscription", "i.ask", "i.approved", "i.groups"])
    .where("v.host", "=", host)
    .where("v.username", "=", username),
);

export class KyselyRosterStore implements RosterStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async getRoster(host: string, username: string): Promise<Roster> {
    const rows = await selectRoster(this.#db, host, username);
    const first = rows[0];
    if (!first) return { version: 0, items: [] };
    const items: RosterItem[] = [];
    for (const r of rows) {
      if (r.jid === null) continue;
      items.push(
        itemFrom({
          jid: r.jid,
          name: r.name,
          subscription: r.subscription ?? "none",
          ask: r.ask ?? 0,
          approved: r.approved ?? 0,
          groups: r.groups ?? "[]",
        }),
      );
    }
    items.sort((a, b) => byString(a.jid, b.jid));
    return { version: toNumber(first.version), items };
  }

  async getItem(host: string, username: string, jid: string): Promise<RosterItem | undefined> {
    const r = await this.#db
      .selectFrom("roster_items")
      .select(["jid", "name", "subscription", "ask", "approved", "groups"])
      .where("host", "=", host)
      .where("username", "=", username)
      .where("jid", "=", jid)
      .executeTakeFirst();
    return r && itemFrom(r);
  }

  putItem(host: string, username: string, item: RosterItem): Promise<number> {
    const values = {
      name: item.name ?? null,
      subscription: item.subscription,
      ask: toFlag(item.ask),
      approved: toFlag(item.approved),
      groups: JSON.stringify(item.groups),
    };
    return atomic(this.#db, async (db) => {
      await db
        .insertInto("roster_items")
        .values({ host, username, jid: item.jid, ...values })
        .onConflict((oc) => oc.columns(["host", "username", "jid"]).doUpdateSet(values))
        .execute();
      return bumpVersion(db, host, username);
    });
  }

  removeItem(host: string, username: string, jid: string): Promise<number | undefined> {
    return atomic(this.#db, async (db) => {
      const r = await db
        .deleteFrom("roster_items")
        .where("host", "=", host)
        .where("username", "=", username)
        .where("jid", "=", jid)
        .executeTakeFirst();
      if (touched(r.numDeletedRows) === 0) return undefined;
      return bumpVersion(db, host, username);
    });
  }

  async version(host: string, username: string): Promise<number> {
    const r = await this.#db
      .selectFrom("roster_versions")
      .select("version")
      .where("host", "=", host)
      .where("username", "=", username)
      .executeTakeFirst();
    return r ? toNumber(r.version) : 0;
  }

  async addPendingIn(host: string, username: string, jid: string, stanza: string): Promise<void> {
    await this.#db
      .insertInto("roster_pending_in")
      .values({ host, username, jid, stanza })
      .onConflict((oc) => oc.columns(["host", "username", "jid"]).doUpdateSet({ stanza }))
      .execute();
  }

  async removePendingIn(host: string, username: string, jid: string): Promise<boolean> {
    const r = await this.#db
      .deleteFrom("roster_pending_in")
      .where("host", "=", host)
      .where("username", "=", username)
      .where("jid", "=", jid)
      .executeTakeFirst();
    return touched(r.numDeletedRows) > 0;
  }

  pendingInHolders(): Promise<{ host: string; username: string }[]> {
    return this.#db.selectFrom("roster_pending_in").select(["host", "username"]).distinct().execute();
  }

  async listPendingIn(host: string, username: string): Promise<{ jid: string; stanza: string }[]> {
    const rows = await this.#db
      .selectFrom("roster_pending_in")
      .select(["jid", "stanza"])
      .where("host", "=", host)
      .where("username", "=", username)
      .execute();
    return rows.sort((a, b) => byString(a.jid, b.jid));
  }

  async hasPendingIn(host: string, username: string, jid: string): Promise<boolean> {
    const r = await this.#db
      .selectFrom("roster_pending_in")
      .select("jid")
      .where("host", "=", host)
      .where("username", "=", username)
      .where("jid", "=", jid)
      .executeTakeFirst();
    return r !== undefined;
  }
}
