// The few places where SQLite and PostgreSQL DDL differ, kept together so migrations stay one code path.
import type { ColumnDefinitionBuilder, CreateTableBuilder } from "kysely";

export type SqlFlavor = "sqlite" | "postgres";

export interface FlavorTypes {
  /** Raw bytes column. */
  bytes: "blob" | "bytea";
  /** Adds an auto-incrementing integer primary key named `name`. */
  autoId<T extends string>(table: CreateTableBuilder<T, never>, name: string): CreateTableBuilder<T, never>;
}

const byFlavor: Record<SqlFlavor, FlavorTypes> = {
  sqlite: {
    bytes: "blob",
    autoId: (t, name) =>
      t.addColumn(name, "integer", (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement()),
  },
  postgres: {
    bytes: "bytea",
    autoId: (t, name) =>
      t.addColumn(name, "bigint", (c: ColumnDefinitionBuilder) => c.primaryKey().generatedByDefaultAsIdentity()),
  },
};

export function flavorTypes(flavor: SqlFlavor): FlavorTypes {
  return byFlavor[flavor];
}
