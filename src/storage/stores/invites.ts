// InviteStore over kysely: one row per invite keyed by (host, token hash); use is one conditional UPDATE … RETURNING.
import type { ExpressionBuilder, Selectable } from "kysely";
import type { InviteRecord, InviteStore, InviteType, InviteUse } from "../types.ts";
import type { Database, InvitesTable } from "../schema.ts";
import { byString, toFlag, toNumber, touched, type Db } from "./common.ts";
import { prepared, preparedWrite } from "./prepared.ts";

type Eb = ExpressionBuilder<Database, "invites">;

function parseList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
  } catch {
    return [];
  }
}

function optional<T>(v: T | null): T | undefined {
  return v === null ? undefined : v;
}

function optionalMillis(v: number | string | bigint | null): number | undefined {
  return v === null ? undefined : toNumber(v);
}

function recordFrom(r: Selectable<InvitesTable>): InviteRecord {
  return {
    host: r.host,
    tokenHash: r.token_hash,
    id: r.id,
    type: r.type as InviteType,
    boundUsername: optional(r.bound_username),
    resetUsername: optional(r.reset_username),
    inviter: optional(r.inviter),
    allowRegistration: toNumber(r.allow_registration) !== 0,
    reusable: toNumber(r.reusable) !== 0,
    maxUses: r.max_uses === null ? undefined : toNumber(r.max_uses),
    uses: toNumber(r.uses),
    roles: parseList(r.roles),
    groups: parseList(r.groups),
    note: optional(r.note),
    createdBy: r.created_by,
    createdAt: toNumber(r.created_at),
    expires: toNumber(r.expires),
    revokedAt: optionalMillis(r.revoked_at),
    usedAt: optionalMillis(r.used_at),
    usedBy: optional(r.used_by),
  };
}

function oldestFirst(a: InviteRecord, b: InviteRecord): number {
  return a.createdAt - b.createdAt || byString(a.id, b.id);
}

/** Live = not expired (now >= expires is expired), not revoked, not used up. */
function live(eb: Eb, now: number) {
  return eb.and([eb("expires", ">", now), eb("revoked_at", "is", null), eb("used_at", "is", null)]);
}

/** Ids are lowercase hex; a prefix is 6 to 16 hex digits. */
const idPrefix = /^[0-9a-f]{6,16}$/;

const selectByHash = prepared((db: Db, host: string, tokenHash: string) =>
  db.selectFrom("invites").selectAll().where("host", "=", host).where("token_hash", "=", tokenHash),
);

/**
 * A use is one statement, so two registrations racing for one token cannot both get it, on one connection,
 * across connections or processes (SQLite serialises writers), and on PostgreSQL (a second UPDATE waits for
 * the first and re-checks its WHERE on the committed row). SET expressions see the row as it was before.
 *
 * Single-use invites (nearly all) are used by an UPDATE whose outcome is known without reading it back:
 * one use, by this account, now. RETURNING would cost SQLite a temporary table per registration.
 */
function useSingle(db: Db, usedAt: number, usedBy: string, host: string, tokenHash: string) {
  return db
    .updateTable("invites")
    .set((eb) => ({ uses: eb.lit(1), used_at: usedAt, used_by: usedBy }))
    .where("host", "=", host)
    .where("token_hash", "=", tokenHash)
    .where((eb) => eb("reusable", "=", eb.lit(0)))
    .where("revoked_at", "is", null)
    .where("used_at", "is", null);
}

const useSingleChecked = preparedWrite((db: Db, usedAt: number, usedBy: string, host: string, tokenHash: string, now: number) =>
  useSingle(db, usedAt, usedBy, host, tokenHash).where("expires", ">", now),
);

const useSingleUnchecked = preparedWrite(useSingle);

/** A reusable invite's use counts up to max_uses, which marks it used; the new count is read back. */
function useReusable(db: Db, usedAt: number, usedBy: string, host: string, tokenHash: string) {
  const usedUp = (eb: Eb) => eb.and([eb("max_uses", "is not", null), eb(eb("uses", "+", eb.lit(1)), ">=", eb.ref("max_uses"))]);
  return db
    .updateTable("invites")
    .set((eb) => ({
      uses: eb("uses", "+", eb.lit(1)),
      used_at: eb.case().when(usedUp(eb)).then(usedAt).else(eb.ref("used_at")).end().$castTo<number | null>(),
      used_by: eb.case().when(usedUp(eb)).then(usedBy).else(eb.ref("used_by")).end(),
    }))
    .where("host", "=", host)
    .where("token_hash", "=", tokenHash)
    .where((eb) => eb("reusable", "=", eb.lit(1)))
    .where("revoked_at", "is", null)
    .where("used_at", "is", null)
    .where((eb) => eb.or([eb("max_uses", "is", null), eb("uses", "<", eb.ref("max_uses"))]));
}

/** What a use changes; the caller already holds the rest of the row, which a use does not touch. */
const USE_COLUMNS = ["uses", "used_at", "used_by"] as const;

const useReusableChecked = prepared((db: Db, usedAt: number, usedBy: string, host: string, tokenHash: string, now: number) =>
  useReusable(db, usedAt, usedBy, host, tokenHash).where("expires", ">", now).returning(USE_COLUMNS),
);

const useReusableUnchecked = prepared((db: Db, usedAt: number, usedBy: string, host: string, tokenHash: string) =>
  useReusable(db, usedAt, usedBy, host, tokenHash).returning(USE_COLUMNS),
);

/** Every registration asks this (a bound username is reserved), so it is compiled once. */
const selectLiveBound = prepared((db: Db, host: string, username: string, type: "register", now: number) =>
  db
    .selectFrom("invites")
    .selectAll()
    .where("host", "=", host)
    .where("bound_username", "=", username)
    .where("type", "=", type)
    .where((eb) => live(eb, now)),
);

export class KyselyInviteStore implements InviteStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async insert(i: InviteRecord): Promise<void> {
    await this.#db
      .insertInto("invites")
      .values({
        host: i.host,
        token_hash: i.tokenHash,
        id: i.id,
        type: i.type,
        bound_username: i.boundUsername ?? null,
        reset_username: i.resetUsername ?? null,
        inviter: i.inviter ?? null,
        allow_registration: toFlag(i.allowRegistration),
        reusable: toFlag(i.reusable),
        max_uses: i.maxUses ?? null,
        uses: i.uses,
        roles: JSON.stringify(i.roles),
        groups: JSON.stringify(i.groups),
        note: i.note ?? null,
        created_by: i.createdBy,
        created_at: i.createdAt,
        expires: i.expires,
        revoked_at: i.revokedAt ?? null,
        used_at: i.usedAt ?? null,
        used_by: i.usedBy ?? null,
      })
      .execute();
  }

  async get(host: string, tokenHash: string): Promise<InviteRecord | undefined> {
    const [r] = await selectByHash(this.#db, host, tokenHash);
    return r && recordFrom(r);
  }

  /** Anything but 6–16 hex digits (either case) matches nothing. */
  async findById(host: string, prefix: string): Promise<InviteRecord[]> {
    const p = prefix.toLowerCase();
    if (!idPrefix.test(p)) return [];
    // A range rather than LIKE: it walks the (host, id) index on both backends whatever the collation or
    // case_sensitive_like, and every id starting with p sorts in [p, p + "g") since ids are [0-9a-f].
    const rows = await this.#db
      .selectFrom("invites")
      .selectAll()
      .where("host", "=", host)
      .where("id", ">=", p)
      .where("id", "<", `${p}g`)
      .execute();
    return rows.map(recordFrom).sort(oldestFirst);
  }

  async consume(host: string, tokenHash: string, usedBy: string, now: number, checkExpiry: boolean): Promise<InviteUse | undefined> {
    const single = checkExpiry
      ? await useSingleChecked(this.#db, now, usedBy, host, tokenHash, now)
      : await useSingleUnchecked(this.#db, now, usedBy, host, tokenHash);
    if (single === 1n) return { uses: 1, usedAt: now, usedBy };
    // A reusable invite, or none that can be used (reusable never changes, so the two cannot both match).
    const [r] = checkExpiry
      ? await useReusableChecked(this.#db, now, usedBy, host, tokenHash, now)
      : await useReusableUnchecked(this.#db, now, usedBy, host, tokenHash);
    return r && { uses: toNumber(r.uses), usedAt: optionalMillis(r.used_at), usedBy: optional(r.used_by) };
  }

  async revoke(host: string, tokenHash: string, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable("invites")
      .set({ revoked_at: now })
      .where("host", "=", host)
      .where("token_hash", "=", tokenHash)
      .where((eb) => live(eb, now))
      .executeTakeFirst();
    return touched(r.numUpdatedRows) > 0;
  }

  async listLive(
    host: string,
    now: number,
    filter: { inviter?: string; createdBy?: string; type?: InviteType } = {},
  ): Promise<InviteRecord[]> {
    let q = this.#db
      .selectFrom("invites")
      .selectAll()
      .where("host", "=", host)
      .where((eb) => live(eb, now));
    if (filter.inviter !== undefined) q = q.where("inviter", "=", filter.inviter);
    if (filter.createdBy !== undefined) q = q.where("created_by", "=", filter.createdBy);
    if (filter.type !== undefined) q = q.where("type", "=", filter.type);
    const rows = await q.execute();
    return rows.map(recordFrom).sort(oldestFirst);
  }

  async findLiveBound(host: string, username: string, now: number): Promise<InviteRecord | undefined> {
    const rows = await selectLiveBound(this.#db, host, username, "register", now);
    return rows.map(recordFrom).sort(oldestFirst)[0];
  }

  async countLiveCreatedBy(host: string, createdBy: string, now: number): Promise<number> {
    const r = await this.#db
      .selectFrom("invites")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("host", "=", host)
      .where("created_by", "=", createdBy)
      .where((eb) => live(eb, now))
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  }

  async revokeResets(host: string, username: string, now: number): Promise<number> {
    const r = await this.#db
      .updateTable("invites")
      .set({ revoked_at: now })
      .where("host", "=", host)
      .where("reset_username", "=", username)
      .where((eb) => live(eb, now))
      .executeTakeFirst();
    return touched(r.numUpdatedRows);
  }

  async deleteByInviter(host: string, inviter: string): Promise<number> {
    const r = await this.#db
      .deleteFrom("invites")
      .where("host", "=", host)
      .where("inviter", "=", inviter)
      .where("type", "=", "roster")
      .executeTakeFirst();
    return touched(r.numDeletedRows);
  }

  /**
   * Every host at once. Deletes invites that died by expiring (never used up, never revoked) once
   * `expires <= now`, and tombstones (used up) and revoked invites once used/revoked before `keepUntil`.
   */
  async purge(now: number, keepUntil: number): Promise<number> {
    const r = await this.#db
      .deleteFrom("invites")
      .where((eb) =>
        eb.or([
          eb.and([eb("expires", "<=", now), eb("used_at", "is", null), eb("revoked_at", "is", null)]),
          eb("used_at", "<", keepUntil),
          eb("revoked_at", "<", keepUntil),
        ]),
      )
      .executeTakeFirst();
    return touched(r.numDeletedRows);
  }

  async countLive(host: string, now: number): Promise<number> {
    const r = await this.#db
      .selectFrom("invites")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("host", "=", host)
      .where((eb) => live(eb, now))
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  }
}
