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
