// GroupStore over kysely: groups (circles) of a host and their members; rosters are the groups module's business.
import type { Group, GroupStore } from "../types.ts";
import { atomic, byString, toNumber, touched, type Db } from "./common.ts";

interface GroupRow {
  host: string;
  id: string;
  name: string;
  created_at: number | string | bigint;
}

function groupFrom(r: GroupRow): Group {
  return { host: r.host, id: r.id, name: r.name, createdAt: toNumber(r.created_at) };
}

function byId(a: Group, b: Group): number {
  return byString(a.id, b.id);
}

export class KyselyGroupStore implements GroupStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** False (and no change) when the id is taken. */
  async create(host: string, id: string, name: string): Promise<boolean> {
    const r = await this.#db
      .insertInto("groups")
      .values({ host, id, name, created_at: Date.now() })
      .onConflict((oc) => oc.columns(["host", "id"]).doNothing())
      .executeTakeFirst();
    return touched(r.numInsertedOrUpdatedRows) === 1;
  }

  async get(host: string, id: string): Promise<Group | undefined> {
    const r = await this.#db
      .selectFrom("groups")
      .selectAll()
      .where("host", "=", host)
      .where("id", "=", id)
      .executeTakeFirst();
    return r && groupFrom(r);
  }

  async list(host: string): Promise<Group[]> {
    const rows = await this.#db.selectFrom("groups").selectAll().where("host", "=", host).execute();
    return rows.map(groupFrom).sort(byId);
  }

  /** Deletes the group and its memberships. */
  delete(host: string, id: string): Promise<boolean> {
    return atomic(this.#db, async (db) => {
      const r = await db.deleteFrom("groups").where("host", "=", host).where("id", "=", id).executeTakeFirst();
      await db.deleteFrom("group_members").where("host", "=", host).where("group_id", "=", id).execute();
      return touched(r.numDeletedRows) > 0;
    });
  }

  /** False when there is no such group or the user already is a member. */
  async addMember(host: string, id: string, username: string): Promise<boolean> {
    // INSERT … SELECT from the group row: one statement, so a membership never outlives a concurrently
    // deleted group. The cast gives PostgreSQL the parameter's type.
    const r = await this.#db
      .insertInto("group_members")
      .columns(["host", "group_id", "username"])
      .expression((eb) =>
        eb
          .selectFrom("groups")
          .select((s) => ["host", "id", s.cast<string>(s.val(username), "text").as("username")])
          .where("host", "=", host)
          .where("id", "=", id),
      )
      .onConflict((oc) => oc.columns(["host", "group_id", "username"]).doNothing())
      .executeTakeFirst();
    return touched(r.numInsertedOrUpdatedRows) === 1;
  }

  async removeMember(host: string, id: string, username: string): Promise<boolean> {
    const r = await this.#db
      .deleteFrom("group_members")
      .where("host", "=", host)
      .where("group_id", "=", id)
      .where("username", "=", username)
      .executeTakeFirst();
    return touched(r.numDeletedRows) > 0;
  }

  async members(host: string, id: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom("group_members")
      .select("username")
      .where("host", "=", host)
      .where("group_id", "=", id)
      .execute();
    return rows.map((r) => r.username).sort(byString);
  }

  async groupsOf(host: string, username: string): Promise<Group[]> {
    const rows = await this.#db
      .selectFrom("group_members as m")
      .innerJoin("groups as g", (j) => j.onRef("g.host", "=", "m.host").onRef("g.id", "=", "m.group_id"))
      .select(["g.host", "g.id", "g.name", "g.created_at"])
      .where("m.host", "=", host)
      .where("m.username", "=", username)
      .execute();
    return rows.map(groupFrom).sort(byId);
  }
}
