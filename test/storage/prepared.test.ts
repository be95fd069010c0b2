import { test } from "node:test";
import assert from "node:assert/strict";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "../../src/storage/schema.ts";
import { migrateToLatest } from "../../src/storage/migrations/index.ts";
import { prepared, preparedWrite } from "../../src/storage/stores/prepared.ts";
import type { Db } from "../../src/storage/stores/common.ts";

async function freshDb(): Promise<Kysely<Database>> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(":memory:") }) });
  await migrateToLatest(db, "sqlite");
  return db;
}

const vcardOf = prepared((db: Db, host: string, username: string) =>
  db.selectFrom("vcards").select("vcard").where("host", "=", host).where("username", "=", username),
);

test("a prepared query reruns with each call's values, on several instances and inside transactions", async () => {
  const a = await freshDb();
  const b = await freshDb();
  try {
    await a.insertInto("vcards").values([
      { host: "h", username: "u1", vcard: "a1" },
      { host: "h", username: "u2", vcard: "a2" },
    ]).execute();
    await b.insertInto("vcards").values({ host: "h", username: "u1", vcard: "b1" }).execute();
    assert.deepEqual(await vcardOf(a, "h", "u1"), [{ vcard: "a1" }]);
    assert.deepEqual(await vcardOf(a, "h", "u2"), [{ vcard: "a2" }]);
    assert.deepEqual(await vcardOf(a, "x", "u2"), []);
    assert.deepEqual(await vcardOf(b, "h", "u1"), [{ vcard: "b1" }]);
    await a.transaction().execute(async (trx) => {
      await trx.insertInto("vcards").values({ host: "h", username: "u3", vcard: "a3" }).execute();
      assert.deepEqual(await vcardOf(trx, "h", "u3"), [{ vcard: "a3" }]);
    });
  } finally {
    await a.destroy();
    await b.destroy();
  }
});

test("a prepared query whose parameters do not map one-to-one, in order, throws", async () => {
  const db = await freshDb();
  try {
    const swapped = prepared((d: Db, host: string, username: string) =>
      d.selectFrom("vcards").select("vcard").where("username", "=", username).where("host", "=", host),
    );
    await assert.rejects(swapped(db, "h", "u"), /in order/);
    const dropped = prepared((d: Db, host: string, _username: string) =>
      d.selectFrom("vcards").select("vcard").where("host", "=", host),
    );
    await assert.rejects(dropped(db, "h", "u"), /in order/);
  } finally {
    await db.destroy();
  }
});

const renameVcard = preparedWrite((db: Db, vcard: string, host: string, username: string) =>
  db.updateTable("vcards").set({ vcard }).where("host", "=", host).where("username", "=", username),
);

test("a prepared write reruns with each call's values and says how many rows it changed", async () => {
  const db = await freshDb();
  try {
    await db.insertInto("vcards").values([
      { host: "h", username: "u1", vcard: "a1" },
      { host: "h", username: "u2", vcard: "a2" },
    ]).execute();
    assert.equal(await renameVcard(db, "b1", "h", "u1"), 1n);
    assert.equal(await renameVcard(db, "b2", "h", "u2"), 1n);
    assert.equal(await renameVcard(db, "zz", "h", "nobody"), 0n);
    await db.transaction().execute(async (trx) => assert.equal(await renameVcard(trx, "c1", "h", "u1"), 1n));
    assert.deepEqual(await db.selectFrom("vcards").select(["username", "vcard"]).orderBy("username").execute(), [
      { username: "u1", vcard: "c1" },
      { username: "u2", vcard: "b2" },
    ]);
    const swapped = preparedWrite((d: Db, vcard: string, username: string) =>
      d.updateTable("vcards").set({ vcard }).where("host", "=", "h").where("username", "=", username),
    );
    await assert.rejects(swapped(db, "x", "u1"), /in order/);
  } finally {
    await db.destroy();
  }
});
