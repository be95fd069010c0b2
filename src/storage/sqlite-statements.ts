// The statements kysely's SqliteDriver runs on our one better-sqlite3 connection: kept, and reading rows
// cheaply.
import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/**
 * Rows come back from SQLite as arrays and become objects through a literal made for the statement's
 * columns. better-sqlite3 builds each row object property by property through V8's API, which costs more
 * than the lookup itself on a 20-column row (the invite a token names). Same result, quirks included: a
 * later column of the same name wins, and one named __proto__ sets the prototype in both.
 */
export function rowsAsLiterals(stmt: BetterSqlite3.Statement): SqliteStatement {
  if (!stmt.reader) return stmt;
  const names = stmt.columns().map((c) => c.name);
  const fields = names.map((name, i) => `${JSON.stringify(name)}: r[${i}]`).join(", ");
  let toObject: (r: unknown[]) => unknown;
  try {
    toObject = new Function("r", `return { ${fields} };`) as typeof toObject;
  } catch {
    return stmt; // a literal cannot repeat __proto__; better-sqlite3 can
  }
  stmt.raw(true);
  return {
    reader: true,
    all(parameters) {
      const rows = stmt.all(parameters) as unknown[][];
      const out = new Array<unknown>(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = toObject(rows[i]!);
      return out;
    },
    run: (parameters) => stmt.run(parameters),
    *iterate(parameters) {
      for (const row of stmt.iterate(parameters)) yield toObject(row as unknown[]);
    },
  };
}

/**
 * kysely's SqliteDriver prepares every query anew; preparing costs about as much as running a point
 * select. Our queries are parameterised, so there are few distinct SQL strings: keep their statements.
 * Safe because the driver runs one statement at a time on this connection.
 */
export function withStatementCache(db: BetterSqlite3.Database, max = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        if (cache.size >= max) cache.clear();
        stmt = rowsAsLiterals(db.prepare(sql));
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}
