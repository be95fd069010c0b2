// Ordered schema migrations for the kysely backends, run with kysely's Migrator from a static list.
import { Migrator, type Kysely, type Migration } from "kysely";
import type { SqlFlavor } from "../sql-flavor.ts";
import { core } from "./0001-core.ts";
import { invites } from "./0002-invites.ts";
import { apiKeys } from "./0003-api-keys.ts";
import { invitedBy } from "./0004-invited-by.ts";

/** Names sort in the order they must run; never rename or edit a released one, add a new one. */
export function migrations(flavor: SqlFlavor): Record<string, Migration> {
  return {
    "0001-core": core(flavor),
    "0002-invites": invites(flavor),
    "0003-api-keys": apiKeys(flavor),
    "0004-invited-by": invitedBy(flavor),
  };
}

/** Brings the schema to the latest version; throws if any migration fails (that one is rolled back). */
export async function migrateToLatest(
  db: Kysely<any>,
  flavor: SqlFlavor,
  log?: (msg: string) => void,
): Promise<void> {
  const list = migrations(flavor);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => list } });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === "Success") log?.(`storage: applied migration ${r.migrationName}`);
    else if (r.status === "Error") log?.(`storage: migration ${r.migrationName} failed`);
  }
  if (error) throw error instanceof Error ? error : new Error(`storage migration failed: ${String(error)}`);
}
