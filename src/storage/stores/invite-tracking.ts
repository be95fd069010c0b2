// InviteTrackingStore over kysely: who invited whom, one row per registered username of a host.
import type { InvitedRecord, InviteTrackingStore } from "../types.ts";
import { byString, toNumber, type Db } from "./common.ts";

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
    const values = { invite_id: e.inviteId, invited_by: e.invitedBy, at: e.at };
    await this.#db
      .insertInto("invite_tracking")
      .values({ host: e.host, username: e.username, ...values })
      .onConflict((oc) => oc.columns(["host", "username"]).doUpdateSet(values))
      .execute();
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
