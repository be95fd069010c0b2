// Invites (by token hash), who invited whom, groups (circles) and their members, secondary account roles.
import type { Kysely, Migration } from "kysely";
import type { SqlFlavor } from "../sql-flavor.ts";

const tables = ["invites", "invite_tracking", "groups", "group_members", "account_roles"];

/**
 * Index name → columns. Every token, id, username and per-user lookup of the stores walks one of these.
 * The per-user ones end in `expires` so that "this user's live invites" is one index range: without it
 * SQLite (lacking statistics) rates `host = ? AND expires > ?` above `host = ? AND inviter = ?` and
 * walks every live invite of the host.
 */
const inviteIndexes: Record<string, string[]> = {
  invites_host_id: ["host", "id"],
  invites_host_bound: ["host", "bound_username", "expires"],
  invites_host_reset: ["host", "reset_username", "expires"],
  invites_host_inviter: ["host", "inviter", "expires"],
  invites_host_created_by: ["host", "created_by", "expires"],
  invites_host_expires: ["host", "expires"],
};

export function invites(_flavor: SqlFlavor): Migration {
  return {
    // Migrations must not depend on the current `Database` type, which will move on.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable("invites")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("bound_username", "text")
        .addColumn("reset_username", "text")
        .addColumn("inviter", "text")
        .addColumn("allow_registration", "integer", (c) => c.notNull())
        .addColumn("reusable", "integer", (c) => c.notNull())
        .addColumn("max_uses", "integer")
        .addColumn("uses", "integer", (c) => c.notNull())
        .addColumn("roles", "text", (c) => c.notNull())
        .addColumn("groups", "text", (c) => c.notNull())
        .addColumn("note", "text")
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expires", "bigint", (c) => c.notNull())
        .addColumn("revoked_at", "bigint")
        .addColumn("used_at", "bigint")
        .addColumn("used_by", "text")
        .addPrimaryKeyConstraint("invites_pk", ["host", "token_hash"])
        .execute();
      for (const [name, columns] of Object.entries(inviteIndexes)) {
        await db.schema.createIndex(name).on("invites").columns(columns).execute();
      }

      await db.schema
        .createTable("invite_tracking")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("invite_id", "text", (c) => c.notNull())
        .addColumn("invited_by", "text", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("invite_tracking_pk", ["host", "username"])
        .execute();

      await db.schema
        .createTable("groups")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("groups_pk", ["host", "id"])
        .execute();

      await db.schema
        .createTable("group_members")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("group_id", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("group_members_pk", ["host", "group_id", "username"])
        .execute();
      // Covering (group_id too), else SQLite prefers walking the covering primary key by host alone.
      await db.schema
        .createIndex("group_members_user")
        .on("group_members")
        .columns(["host", "username", "group_id"])
        .execute();

      await db.schema
        .createTable("account_roles")
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("account_roles_pk", ["host", "username", "role"])
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      for (const t of [...tables].reverse()) await db.schema.dropTable(t).ifExists().execute();
    },
  };
}
