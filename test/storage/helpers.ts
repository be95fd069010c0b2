// Opens SQLite storages for tests, in memory or in a fresh temporary directory, and cleans them up.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { openSqliteStorage } from "../../src/storage/sqlite.ts";
import { migrations } from "../../src/storage/migrations/index.ts";
import type { Database } from "../../src/storage/schema.ts";
import type { Credentials, Storage } from "../../src/storage/types.ts";

export type Kind = "memory" | "file";
export const kinds: Kind[] = ["memory", "file"];

export interface Opened {
  storage: Storage;
  path: string;
  dispose(): Promise<void>;
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "hearth-storage-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function open(kind: Kind): Promise<Opened> {
  if (kind === "memory") {
    const storage = await openSqliteStorage(":memory:");
    return { storage, path: ":memory:", dispose: () => storage.close() };
  }
  const t = tempDir();
  const path = join(t.dir, "nested", "hearth.db");
  const storage = await openSqliteStorage(path);
  return {
    storage,
    path,
    async dispose() {
      await storage.close();
      t.remove();
    },
  };
}

export function credentials(iterations = 4096): Credentials {
  const set = () => ({ salt: randomBytes(16), iterations, storedKey: randomBytes(32), serverKey: randomBytes(32) });
  return { sha1: { ...set(), storedKey: randomBytes(20), serverKey: randomBytes(20) }, sha256: set() };
}

/** A SQLite file at `path` with only the migrations named before `next` applied: the database an upgrade finds. */
export async function databaseBefore(path: string, next: string): Promise<Kysely<Database>> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path) }) });
  const older = Object.fromEntries(Object.entries(migrations("sqlite")).filter(([name]) => name < next));
  const r = await new Migrator({ db, provider: { getMigrations: async () => older } }).migrateToLatest();
  if (r.error !== undefined) throw r.error;
  return db;
}

/** An account row as migrations 0001–0003 knew it (today's store writes the columns 0004 adds). */
export async function insertAccountBefore0004(db: Kysely<Database>, host: string, username: string, at: number): Promise<void> {
  const { sha1, sha256 } = credentials();
  await db
    .insertInto("accounts")
    .values({
      host, username, role: "user", created_at: at, password_changed_at: at,
      sha1_salt: sha1.salt, sha1_iterations: sha1.iterations, sha1_stored_key: sha1.storedKey, sha1_server_key: sha1.serverKey,
      sha256_salt: sha256.salt, sha256_iterations: sha256.iterations, sha256_stored_key: sha256.storedKey, sha256_server_key: sha256.serverKey,
    })
    .execute();
}
