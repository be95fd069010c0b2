// InviteTrackingStore over kysely: who invited whom, one entry per registered username of a host.
// A living account carries its entry on its own row (accounts.invite_id, invited_by, invited_at), so an
// invite registration writes no page beyond the account's and the invite's; invite_tracking keeps the
// entries of deleted accounts (the accounts store moves them there) and of names without an account.
import type { OnConflictBuilder } from "kysely";
import type { Database } from "../schema.ts";
import type { InvitedRecord, InviteTrackingStore } from "../types.ts";
import { byString, toNumber, type Db } from "./common.ts";
import { prepared } from "./prepared.ts";

interface Entry {
  host: string;
  username: string;
  invite_id: string | null;
  invited_by: string | null;
  at: number | string | bigint | null;
}

function entryFrom(r: Entry): InvitedRecord | undefined {
  if (r.invite_id === null || r.invited_by === null || r.at === null) return undefined;
  return { host: r.host, username: r.username, inviteId: r.invite_id, invitedBy: r.invited_by, at: toNumber(r.at) };
}

/** One per invited registration, so compiled once. */
const onAccount = prepared((db: Db, inviteId: string, invitedBy: string, at: number, host: string, username: string) =>
  db
    .updateTable("accounts")
    .set({ invite_id: inviteId, invited_by: invitedBy, invited_at: at })
    .where("host", "=", host)
    .where("username", "=", username)
    .returning("username"),
);

/** An archived entry is replaced by a newer one of its name; reading `excluded` keeps one slot per value. */
const replaceArchived = (oc: OnConflictBuilder<Database, "invite_tracking">) =>
  oc.columns(["host", "username"]).doUpdateSet((eb) => ({
    invite_id: eb.ref("excluded.invite_id"),
    invited_by: eb.ref("excluded.invited_by"),
    at: eb.ref("excluded.at"),
  }));

const upsertArchived = prepared((db: Db, host: string, username: string, inviteId: string, invitedBy: string, at: number) =>
  db.insertInto("invite_tracking").values({ host, username, invite_id: inviteId, invited_by: invitedBy, at }).onConflict(replaceArchived),
);

/** For the accounts store, when it deletes an account: its entry (if any) moves from its row to invite_tracking. */
export async function archiveInvitedBy(db: Db, host: string, username: string): Promise<void> {
  await db
    .insertInto("invite_tracking")
    .columns(["host", "username", "invite_id", "invited_by", "at"])
    .expression((eb) =>
      eb
        .selectFrom("accounts")
        .select(["host", "username", "invite_id", "invited_by", "invited_at as at"])
        .where("host", "=", host)
        .where("username", "=", username)
        .where("invite_id", "is not", null)
        .$narrowType<{ invite_id: string; invited_by: string; at: number }>(),
    )
    .onConflict(replaceArchived)
    .execute();
}

const accountColumns = ["host", "username", "invite_id", "invited_by", "invited_at as at"] as const;

export class KyselyInviteTrackingStore implements InviteTrackingStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * On the account's row when it exists, else kept apart. Entries outlive their accounts (history): a
   * username registered again with an invite gets a new entry, which is the one `get` and `list` show.
   */
  async record(e: InvitedRecord): Promise<void> {
    const onRow = await onAccount(this.#db, e.inviteId, e.invitedBy, e.at, e.host, e.username);
    if (onRow.length === 0) {
      await upsertArchived(this.#db, e.host, e.username, e.inviteId, e.invitedBy, e.at);
    }
  }

  async get(host: string, username: string): Promise<InvitedRecord | undefined> {
    const account = await this.#db
      .selectFrom("accounts")
      .select(accountColumns)
      .where("host", "=", host)
      .where("username", "=", username)
      .where("invite_id", "is not", null)
      .executeTakeFirst();
    if (account) return entryFrom(account);
    const archived = await this.#db
      .selectFrom("invite_tracking")
      .selectAll()
      .where("host", "=", host)
      .where("username", "=", username)
      .executeTakeFirst();
    return archived && entryFrom(archived);
  }

  /** Oldest first (then by username); an account's own entry wins over an archived one of its name. */
  async list(host: string): Promise<InvitedRecord[]> {
    const living = await this.#db
      .selectFrom("accounts")
      .select(accountColumns)
      .where("host", "=", host)
      .where("invite_id", "is not", null)
      .execute();
    const archived = await this.#db.selectFrom("invite_tracking").selectAll().where("host", "=", host).execute();
    const byName = new Map<string, InvitedRecord>();
    for (const r of [...archived, ...living]) {
      const e = entryFrom(r);
      if (e) byName.set(e.username, e);
    }
    return [...byName.values()].sort((a, b) => a.at - b.at || byString(a.username, b.username));
  }
}
