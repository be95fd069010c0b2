import { describe, test } from "node:test";
import assert from "node:assert/strict";
import BetterSqlite3 from "better-sqlite3";
import { rowsAsLiterals, withStatementCache } from "../../src/storage/sqlite-statements.ts";

function database(): BetterSqlite3.Database {
  const db = new BetterSqlite3(":memory:");
  db.exec("create table t (id integer primary key, name text, score real, data blob, note text)");
  const insert = db.prepare("insert into t (name, score, data, note) values (?, ?, ?, ?)");
  insert.run(["zoe", 1.5, Buffer.from([1, 2, 3]), null]);
  insert.run(["amy", -2, null, "ünïcode ✓"]);
  insert.run(["bob", 0, Buffer.alloc(0), ""]);
  return db;
}

describe("rowsAsLiterals (rows built in JS from SQLite's arrays)", () => {
  test("gives the rows better-sqlite3 itself gives, for every column type and any number of rows", () => {
    const db = database();
    for (const sql of ["select * from t order by id", "select * from t where name = ?", "select name, id, name as again from t order by name"]) {
      const params = sql.includes("?") ? ["amy"] : [];
      assert.deepEqual(rowsAsLiterals(db.prepare(sql)).all(params), db.prepare(sql).all(params), sql);
    }
    assert.deepEqual(rowsAsLiterals(db.prepare("select * from t where id = ?")).all([99]), []);
    db.close();
  });

  test("a later column of the same name wins, as in better-sqlite3", () => {
    const db = database();
    const sql = "select 1 as a, 2 as b, 3 as a";
    assert.deepEqual(rowsAsLiterals(db.prepare(sql)).all([]), [{ a: 3, b: 2 }]);
    assert.deepEqual(rowsAsLiterals(db.prepare(sql)).all([]), db.prepare(sql).all([]));
    db.close();
  });

  test("a column named __proto__ does what it does in better-sqlite3's rows (a blob becomes the prototype)", () => {
    const db = database();
    const sqls = [`select x'0102' as "__proto__", 1 as a`, `select 'text' as "__proto__", 1 as a`, `select 1 as "__proto__", 2 as "__proto__"`];
    for (const sql of sqls) {
      const ours = rowsAsLiterals(db.prepare(sql)).all([])[0] as object;
      const theirs = db.prepare(sql).get([]) as object;
      assert.deepEqual(Object.getPrototypeOf(ours), Object.getPrototypeOf(theirs), sql);
      assert.deepEqual(Object.entries(ours), Object.entries(theirs), sql);
    }
    db.close();
  });

  test("writes run as before; RETURNING makes a reader whose rows are objects; iterate yields objects", () => {
    const db = database();
    const insert = rowsAsLiterals(db.prepare("insert into t (name) values (?)"));
    assert.equal(insert.reader, false);
    assert.equal(insert.run(["dan"]).changes, 1);
    const update = rowsAsLiterals(db.prepare("update t set score = score + 1 where name = ? returning id, score"));
    assert.equal(update.reader, true);
    assert.deepEqual(update.all(["zoe"]), [{ id: 1, score: 2.5 }]);
    assert.deepEqual([...rowsAsLiterals(db.prepare("select name from t order by id")).iterate([])], [
      { name: "zoe" },
      { name: "amy" },
      { name: "bob" },
      { name: "dan" },
    ]);
    db.close();
  });
});

describe("withStatementCache", () => {
  test("one statement per SQL text, reused; a full cache starts over; close closes the database", () => {
    const db = database();
    const cached = withStatementCache(db, 2);
    const a = cached.prepare("select id from t where name = ?");
    assert.equal(cached.prepare("select id from t where name = ?"), a);
    assert.deepEqual(a.all(["bob"]), [{ id: 3 }]);
    const b = cached.prepare("select name from t where id = ?");
    assert.notEqual(b, a);
    cached.prepare("select count(*) as n from t");
    assert.notEqual(cached.prepare("select id from t where name = ?"), a, "the cache held two and was cleared");
    cached.close();
    assert.equal(db.open, false);
  });
});
