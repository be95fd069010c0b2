// Accounts, rosters, pending subscriptions, offline messages, vcards and private XML storage.
import type { Kysely, Migration } from "kysely";
import { flavorTypes, type SqlFlavor } from "../sql-flavor.ts";

const tables = [
  "accounts",
  "roster_items",
  "roster_versions",
  "roster_pending_in",
  "offline_messages",
  "vcards",
  "private_data",
];

export function core(flavor: SqlFlavor): Migration {
  const types = flavorTypes(flavor);
  return {
    // Migrations must not depend on the current `Database` type, which will move on.
    async up(db: Kysely<any>): Promise<void> {
      let accounts = db.schema
        .createTable("accounts")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("password_changed_at", "bigint", (c) => c.notNull());
      for (const hash of ["sha1", "sha256"]) {
        accounts = accounts
          .addColumn(`${hash}_salt`, types.bytes, (c) => c.notNull())
          .addColumn(`${hash}_iterations`, "integer", (c) => c.notNull())
          .addColumn(`${hash}_stored_key`, types.bytes, (c) => c.notNull())
          .addColumn(`${hash}_server_key`, types.bytes, (c) => c.notNull());
      }
      await accounts.addPrimaryKeyConstraint("accounts_pk", ["host", "username"]).execute();
      await db.schema.createIndex("accounts_host_role").on("accounts").columns(["host", "role"]).execute();

      await db.schema
        .createTable("roster_items")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("jid", "text", (c) => c.notNull())
        .addColumn("name", "text")
        .addColumn("subscription", "text", (c) => c.notNull())
        .addColumn("ask", "integer", (c) => c.notNull())
        .addColumn("approved", "integer", (c) => c.notNull())
        .addColumn("groups", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("roster_items_pk", ["host", "username", "jid"])
        .execute();

      await db.schema
        .createTable("roster_versions")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("roster_versions_pk", ["host", "username"])
        .execute();

      await db.schema
        .createTable("roster_pending_in")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("jid", "text", (c) => c.notNull())
        .addColumn("stanza", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("roster_pending_in_pk", ["host", "username", "jid"])
        .execute();

      await types
        .autoId(db.schema.createTable("offline_messages"), "id")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("stanza", "text", (c) => c.notNull())
        .addColumn("stamp", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("offline_messages_owner")
        .on("offline_messages")
        .columns(["host", "username", "id"])
        .execute();

      await db.schema
        .createTable("vcards")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("vcard", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("vcards_pk", ["host", "username"])
        .execute();

      await db.schema
        .createTable("private_data")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("xml", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("private_data_pk", ["host", "username", "key"])
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      for (const t of [...tables].reverse()) await db.schema.dropTable(t).ifExists().execute();
    },
  };
}
