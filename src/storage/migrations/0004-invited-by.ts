// Who invited an account moves onto the account's row; invite_tracking keeps it for deleted accounts.
// An invite registration then writes no page besides the account's and the invite's (issue 3's speed).
import { sql, type Kysely, type Migration } from "kysely";
import type { SqlFlavor } from "../sql-flavor.ts";

const columns = ["invite_id", "invited_by", "invited_at"] as const;

export function invitedBy(_flavor: SqlFlavor): Migration {
  return {
    // Migrations must not depend on the current `Database` type, which will move on.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable("accounts").addColumn("invite_id", "text").execute();
      await db.schema.alterTable("accounts").addColumn("invited_by", "text").execute();
      await db.schema.alterTable("accounts").addColumn("invited_at", "bigint").execute();
      const row = sql`from invite_tracking t where t.host = accounts.host and t.username = accounts.username`;
      await sql`update accounts set
          invite_id = (select t.invite_id ${row}),
          invited_by = (select t.invited_by ${row}),
          invited_at = (select t.at ${row})
        where exists (select 1 ${row})`.execute(db);
      await sql`delete from invite_tracking
        where exists (select 1 from accounts a where a.host = invite_tracking.host and a.username = invite_tracking.username)`.execute(db);
    },
    async down(db: Kysely<any>): Promise<void> {
      await sql`insert into invite_tracking (host, username, invite_id, invited_by, at)
        select host, username, invite_id, invited_by, invited_at from accounts where invite_id is not null`.execute(db);
      for (const c of columns) await db.schema.alterTable("accounts").dropColumn(c).execute();
    },
  };
}
