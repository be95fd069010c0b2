// InviteTrackingStore over kysely: who invited whom, one row per registered username of a host.
import type { InvitedRecord, InviteTrackingStore } from "../types.ts";
import { byString, toNumber, type Db } from "./common.ts";
import { prepared } from "./prepared.ts";

interface TrackingRow {
  host: string;
  username: string;
  invite_id: string;
  invited_by: string;
  at: number | string | bigint;
}

function entryFrom(r: TrackingRow): InvitedRecord {
  return { host: r.host, username: r.username, inviteId: r.invite_id, invitedBy: r.invited_by, at: toNumber(r.at) };
}

/** One per invited registration, so compiled once; the update reads `excluded` to keep one slot per value. */
const upsertTracking = prepared((db: Db, host: string, username: string, inviteId: string, invitedBy: string, at: number) =>
  db
    .insertInto("invite_tracking")
    .values({ host, username, invite_id: inviteId, invited_by: invitedBy, at })
    .onConflict((oc) =>
      oc.columns(["host", "username"]).doUpdateSet((eb) => ({
        invite_id: eb.ref("excluded.invite_id"),
        invited_by: eb.ref("excluded.invited_by"),
        at: eb.ref("excluded.at"),
      })),
    ),
);

export class KyselyInviteTrackingStore implements InviteTrackingStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Rows outlive their accounts (history), so a username registered again replaces its old row: the
   * entry for a username is always about its latest registration.
   */
  async record(e: InvitedRecord): Promise<void> {
    await upsertTracking(this.#db, e.host, e.username, e.inviteId, e.invitedBy, e.at);
  }

  async get(host: string, username: string): Promise<InvitedRecord | undefined> {
    const r = await this.#db
      .selectFrom("invite_tracking")
      .selectAll()
      .where("host", "=", host)
      .where("username", "=", username)
      .executeTakeFirst();
    return r && entryFrom(r);
  }

  /** Oldest first (then by username). */
  async list(host: string): Promise<InvitedRecord[]> {
    const rows = await this.#db.selectFrom("invite_tracking").selectAll().where("host", "=", host).execute();
    return rows.map(entryFrom).sort((a, b) => a.at - b.at || byString(a.username, b.username));
  }
}
