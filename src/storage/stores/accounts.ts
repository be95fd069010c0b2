// AccountStore over kysely: one row per (host, username) holding both SCRAM credential sets.
import type { Account, AccountInvitedBy, AccountStore, AccountSummary, Credentials, Role, ScramCredential } from "../types.ts";
import type { AccountsTable } from "../schema.ts";
import type { Selectable } from "kysely";
import { atomic, byString, toBuffer, toNumber, touched, type Db } from "./common.ts";
import { prepared } from "./prepared.ts";
import { archiveInvitedBy } from "./invite-tracking.ts";

type CredentialColumns = Pick<
  AccountsTable,
  | "sha1_salt"
  | "sha1_iterations"
  | "sha1_stored_key"
  | "sha1_server_key"
  | "sha256_salt"
  | "sha256_iterations"
  | "sha256_stored_key"
  | "sha256_server_key"
>;

function credentialColumns(c: Credentials) {
  return {
    sha1_salt: c.sha1.salt,
    sha1_iterations: c.sha1.iterations,
    sha1_stored_key: c.sha1.storedKey,
    sha1_server_key: c.sha1.serverKey,
    sha256_salt: c.sha256.salt,
    sha256_iterations: c.sha256.iterations,
    sha256_stored_key: c.sha256.storedKey,
    sha256_server_key: c.sha256.serverKey,
  };
}

function scram(salt: Buffer | Uint8Array, iterations: number, storedKey: Buffer | Uint8Array, serverKey: Buffer | Uint8Array): ScramCredential {
  return { salt: toBuffer(salt), iterations: toNumber(iterations), storedKey: toBuffer(storedKey), serverKey: toBuffer(serverKey) };
}

function credentialsFrom(r: Selectable<CredentialColumns>): Credentials {
  return {
    sha1: scram(r.sha1_salt, r.sha1_iterations, r.sha1_stored_key, r.sha1_server_key),
    sha256: scram(r.sha256_salt, r.sha256_iterations, r.sha256_stored_key, r.sha256_server_key),
  };
}

const selectAccount = prepared((db: Db, host: string, username: string) =>
  db.selectFrom("accounts").selectAll().where("host", "=", host).where("username", "=", username),
);

const selectExists = prepared((db: Db, host: string, username: string) =>
  db.selectFrom("accounts").select("username").where("host", "=", host).where("username", "=", username),
);

/** ON CONFLICT DO NOTHING: a concurrent create of the same name loses without an exception, and returns no row. */
const insertAccount = prepared(
  // Flat parameters: a prepared query takes each value as its own parameter, in order.
  (
    db: Db,
    host: string,
    username: string,
    role: Role,
    createdAt: number,
    passwordChangedAt: number,
    sha1Salt: Buffer,
    sha1Iterations: number,
    sha1StoredKey: Buffer,
    sha1ServerKey: Buffer,
    sha256Salt: Buffer,
    sha256Iterations: number,
    sha256StoredKey: Buffer,
    sha256ServerKey: Buffer,
    inviteId: string | null,
    invitedBy: string | null,
    invitedAt: number | null,
  ) =>
    db
      .insertInto("accounts")
      .values({
        host,
        username,
        role,
        created_at: createdAt,
        password_changed_at: passwordChangedAt,
        sha1_salt: sha1Salt,
        sha1_iterations: sha1Iterations,
        sha1_stored_key: sha1StoredKey,
        sha1_server_key: sha1ServerKey,
        sha256_salt: sha256Salt,
        sha256_iterations: sha256Iterations,
        sha256_stored_key: sha256StoredKey,
        sha256_server_key: sha256ServerKey,
        invite_id: inviteId,
        invited_by: invitedBy,
        invited_at: invitedAt,
      })
      .onConflict((oc) => oc.columns(["host", "username"]).doNothing())
      .returning("username"),
);

/**
 * Tables whose rows belong to one account, deleted with it. Not invite_tracking: who invited whom is
 * history. Not invites either: the invites module deletes a user's contact invites on user-deleted.
 */
const owned = [
  "roster_items",
  "roster_versions",
  "roster_pending_in",
  "offline_messages",
  "vcards",
  "private_data",
  "group_members",
  "account_roles",
] as const;

export class KyselyAccountStore implements AccountStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async create(host: string, username: string, credentials: Credentials, role: Role, invited?: AccountInvitedBy): Promise<boolean> {
    const now = Date.now();
    const { sha1: a, sha256: b } = credentials;
    const rows = await insertAccount(
      this.#db, host, username, role, now, now,
      a.salt, a.iterations, a.storedKey, a.serverKey, b.salt, b.iterations, b.storedKey, b.serverKey,
      invited?.inviteId ?? null, invited?.invitedBy ?? null, invited?.at ?? null,
    );
    return rows.length === 1;
  }

  async get(host: string, username: string): Promise<Account | undefined> {
    const [r] = await selectAccount(this.#db, host, username);
    if (!r) return undefined;
    return {
      host: r.host,
      username: r.username,
      role: r.role,
      credentials: credentialsFrom(r),
      createdAt: toNumber(r.created_at),
      passwordChangedAt: toNumber(r.password_changed_at),
    };
  }

  async exists(host: string, username: string): Promise<boolean> {
    return (await selectExists(this.#db, host, username)).length > 0;
  }

  async setCredentials(host: string, username: string, credentials: Credentials): Promise<boolean> {
    const r = await this.#db
      .updateTable("accounts")
      .set({ ...credentialColumns(credentials), password_changed_at: Date.now() })
      .where("host", "=", host)
      .where("username", "=", username)
      .executeTakeFirst();
    return touched(r.numUpdatedRows) > 0;
  }

  async setRole(host: string, username: string, role: Role): Promise<boolean> {
    const r = await this.#db
      .updateTable("accounts")
      .set({ role })
      .where("host", "=", host)
      .where("username", "=", username)
      .executeTakeFirst();
    return touched(r.numUpdatedRows) > 0;
  }

  delete(host: string, username: string): Promise<boolean> {
    return atomic(this.#db, async (db) => {
      await archiveInvitedBy(db, host, username);
      const r = await db
        .deleteFrom("accounts")
        .where("host", "=", host)
        .where("username", "=", username)
        .executeTakeFirst();
      // Owned rows go even when the account row is already gone, so nothing orphaned survives.
      for (const table of owned) {
        await db.deleteFrom(table).where("host", "=", host).where("username", "=", username).execute();
      }
      return touched(r.numDeletedRows) > 0;
    });
  }

  async list(host?: string): Promise<AccountSummary[]> {
    let q = this.#db.selectFrom("accounts").select(["host", "username", "role", "created_at"]);
    if (host !== undefined) q = q.where("host", "=", host);
    const rows = await q.execute();
    return rows
      .map((r) => ({ host: r.host, username: r.username, role: r.role, createdAt: toNumber(r.created_at) }))
      .sort((a, b) => byString(a.host, b.host) || byString(a.username, b.username));
  }

  async countWithRole(host: string, role: Role): Promise<number> {
    const r = await this.#db
      .selectFrom("accounts")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("host", "=", host)
      .where("role", "=", role)
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  }

  async getSecondaryRoles(host: string, username: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom("account_roles")
      .select("role")
      .where("host", "=", host)
      .where("username", "=", username)
      .execute();
    return rows.map((r) => r.role).sort(byString);
  }

  /**
   * Replaces the set (duplicates collapse; read back sorted). Does nothing for an account that does not
   * exist, so no roles wait for a later account of that name: each row is inserted from the account row.
   */
  setSecondaryRoles(host: string, username: string, roles: string[]): Promise<void> {
    return atomic(this.#db, async (db) => {
      await db.deleteFrom("account_roles").where("host", "=", host).where("username", "=", username).execute();
      for (const role of new Set(roles)) {
        await db
          .insertInto("account_roles")
          .columns(["host", "username", "role"])
          .expression((eb) =>
            eb
              .selectFrom("accounts")
              // The cast gives PostgreSQL the parameter's type.
              .select((s) => ["host", "username", s.cast<string>(s.val(role), "text").as("role")])
              .where("host", "=", host)
              .where("username", "=", username),
          )
          .execute();
      }
    });
  }
}
