// The embedded SQLite backend: better-sqlite3 through kysely's SqliteDialect, one connection, WAL.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from "kysely";
import type { Database } from "./schema.ts";
import type { Storage } from "./types.ts";
import { kyselyStorage } from "./kysely-storage.ts";
import { migrateToLatest } from "./migrations/index.ts";
import { withStatementCache } from "./sqlite-statements.ts";

/**
 * BEGIN IMMEDIATE takes the write lock up front (waiting up to busy_timeout). A deferred BEGIN that reads
 * and then writes fails with SQLITE_BUSY_SNAPSHOT when another process (say `hearth adduser` next to a
 * running server) wrote in between.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

export interface SqliteStorageOptions {
  log?: (msg: string) => void;
}

function isMemory(path: string): boolean {
  return path === ":memory:" || path === "";
}

export async function openSqliteStorage(path: string, opts: SqliteStorageOptions = {}): Promise<Storage> {
  if (!isMemory(path)) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  try {
    await migrateToLatest(db, "sqlite", opts.log);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  opts.log?.(`storage: sqlite ready at ${isMemory(path) ? ":memory:" : path}`);
  return kyselyStorage(db);
}
