import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect, CompiledQuery } from "kysely";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import { migrateToLatest } from "../src/storage/migrations/index.ts";
import type { Database } from "../src/storage/schema.ts";
const dir = mkdtempSync(join(tmpdir(), "hearth-cc-"));
const path = join(dir, "a.db");
const s = await openSqliteStorage(path);
const c = () => ({ salt: randomBytes(16), iterations: 4096, storedKey: randomBytes(32), serverKey: randomBytes(32) });
for (let u = 0; u < 1000; u++) await s.accounts.create("example.org", `user${u}`, { sha1: c(), sha256: c() }, "user");
for (let u = 0; u < 200; u++) for (let j = 0; j < 20; j++) await s.rosters.putItem("example.org", `user${u}`, { jid: `contact${j}@example.net`, name: `Contact ${j}`, subscription: "both", ask: false, approved: false, groups: ["Friends"] });
// A second kysely over the same file with the same statement-cache idea, to compare compile vs reuse.
const raw = new BetterSqlite3(path);
const cache = new Map<string, any>();
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: { close: () => raw.close(), prepare: (q: string) => { let st = cache.get(q); if (!st) { st = raw.prepare(q); cache.set(q, st); } return st; } } }) });
const acctQ = (h: string, u: string) => db.selectFrom("accounts").selectAll().where("host", "=", h).where("username", "=", u);
const rosterQ = (h: string, u: string) => db.selectFrom("roster_versions as v").leftJoin("roster_items as i", (j) => j.onRef("i.host", "=", "v.host").onRef("i.username", "=", "v.username")).select(["v.version", "i.jid", "i.name", "i.subscription", "i.ask", "i.approved", "i.groups"]).where("v.host", "=", h).where("v.username", "=", u);
const acctC = acctQ("", "").compile();
const rosterC = rosterQ("", "").compile();
const cases: [string, (i: number) => Promise<unknown>][] = [
  ["acct builder", (i) => acctQ("example.org", `user${i % 1000}`).execute()],
  ["acct precompiled", (i) => db.executeQuery(CompiledQuery.raw(acctC.sql, ["example.org", `user${i % 1000}`]))],
  ["roster builder", (i) => rosterQ("example.org", `user${i % 200}`).execute()],
  ["roster precompiled", (i) => db.executeQuery(CompiledQuery.raw(rosterC.sql, ["example.org", `user${i % 200}`]))],
];
const res = new Map<string, number[]>();
for (let r = 0; r < 7; r++) for (const [l, f] of cases) {
  for (let i = 0; i < 500; i++) await f(i);
  const t0 = performance.now(); for (let i = 0; i < 10000; i++) await f(i);
  res.set(l, [...(res.get(l) ?? []), (performance.now() - t0) * 1000 / 10000]);
}
for (const [l, xs] of res) { xs.sort((a, b) => a - b); console.log(l.padEnd(20), "median", xs[3]!.toFixed(1), "best", xs[0]!.toFixed(1)); }
await db.destroy(); await s.close(); rmSync(dir, { recursive: true, force: true });
