// Keys of the invites HTTP API (invites.md §12): id, scope, and the hash of the secret (never the secret).
import type { Kysely, Migration } from "kysely";
import type { SqlFlavor } from "../sql-flavor.ts";

export function apiKeys(_flavor: SqlFlavor): Migration {
  return {
    // Migrations must not depend on the current `Database` type, which will move on.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("api_keys")
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("name", "text")
        .addColumn("hosts", "text")
        .addColumn("kinds", "text", (c) => c.notNull())
        .addColumn("secret_hash", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expires", "bigint")
        .addColumn("revoked_at", "bigint")
        .addPrimaryKeyConstraint("api_keys_pk", ["id"])
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable("api_keys").ifExists().execute();
    },
  };
}
