// ApiKeyStore over kysely: invites-API keys by id, with their scope and the hash of their secret.
import type { Selectable } from "kysely";
import type { ApiKeyKind, ApiKeyRecord, ApiKeyStore } from "../types.ts";
import type { ApiKeysTable } from "../schema.ts";
import { byString, toNumber, touched, type Db } from "./common.ts";

function parseList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
  } catch {
    return [];
  }
}

function optionalMillis(v: number | string | bigint | null): number | undefined {
  return v === null ? undefined : toNumber(v);
}

function recordFrom(r: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: r.id,
    name: r.name ?? undefined,
    hosts: r.hosts === null ? undefined : parseList(r.hosts),
    kinds: parseList(r.kinds) as ApiKeyKind[],
    secretHash: r.secret_hash,
    createdAt: toNumber(r.created_at),
    expires: optionalMillis(r.expires),
    revokedAt: optionalMillis(r.revoked_at),
  };
}

export class KyselyApiKeyStore implements ApiKeyStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async insert(k: ApiKeyRecord): Promise<boolean> {
    const r = await this.#db
      .insertInto("api_keys")
      .values({
        id: k.id,
        name: k.name ?? null,
        hosts: k.hosts === undefined ? null : JSON.stringify(k.hosts),
        kinds: JSON.stringify(k.kinds),
        secret_hash: k.secretHash,
        created_at: k.createdAt,
        expires: k.expires ?? null,
        revoked_at: k.revokedAt ?? null,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .executeTakeFirst();
    return touched(r.numInsertedOrUpdatedRows) === 1;
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const r = await this.#db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
    return r && recordFrom(r);
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.#db.selectFrom("api_keys").selectAll().execute();
    return rows.map(recordFrom).sort((a, b) => a.createdAt - b.createdAt || byString(a.id, b.id));
  }

  async revoke(id: string, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable("api_keys")
      .set({ revoked_at: now })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return touched(r.numUpdatedRows) > 0;
  }
}
