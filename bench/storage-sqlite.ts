// Hot storage paths on a file SQLite DB (WAL, synchronous=NORMAL): login reads, a few writes, µs/op.
// Run: node --import tsx bench/storage-sqlite.ts   (prints median and best of 5 rounds of 10k ops)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import type { Database } from "../src/storage/schema.ts";
import type { Credentials, Storage } from "../src/storage/types.ts";

const N = 10_000;
const ROUNDS = 5;
const USERS = 1000;
const ROSTERS = 200;
const host = "example.org";

function creds(): Credentials {
  const s = (n: number) => ({ salt: randomBytes(16), iterations: 4096, storedKey: randomBytes(n), serverKey: randomBytes(n) });
  return { sha1: s(20), sha256: s(32) };
}

async function fill(s: Storage): Promise<void> {
  await s.transaction(async (tx) => {
    for (let i = 0; i < USERS; i++) await tx.accounts.create(host, `user${i}`, creds(), "user");
    // Interleaved so one user's items are not adjacent in the table.
    for (let j = 0; j < 20; j++) {
      for (let u = 0; u < ROSTERS; u++) {
        await tx.rosters.putItem(host, `user${u}`, {
          jid: `contact${j}@example.net`,
          name: `Contact ${j}`,
          subscription: "both",
          ask: false,
          approved: false,
          groups: ["Friends"],
        });
      }
    }
  });
}

type Case = { label: string; fn: (i: number) => unknown };
const results = new Map<string, number[]>();

async function round(c: Case): Promise<void> {
  for (let i = 0; i < 500; i++) await c.fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await c.fn(i);
  const us = Number(process.hrtime.bigint() - t0) / 1000 / N;
  results.set(c.label, [...(results.get(c.label) ?? []), us]);
}

const dir = mkdtempSync(join(tmpdir(), "hearth-bench-"));
try {
  const path = join(dir, "a.db");
  const hearth = await openSqliteStorage(path);
  await fill(hearth);

  // The same queries as the stores, built and compiled on every call, with and without a statement cache.
  const acctQ = (db: Kysely<Database>, u: string) =>
    db.selectFrom("accounts").selectAll().where("host", "=", host).where("username", "=", u);
  const rosterQ = (db: Kysely<Database>, u: string) =>
    db
      .selectFrom("roster_versions as v")
      .leftJoin("roster_items as i", (j) => j.onRef("i.host", "=", "v.host").onRef("i.username", "=", "v.username"))
      .select(["v.version", "i.jid", "i.name", "i.subscription", "i.ask", "i.approved", "i.groups"])
      .where("v.host", "=", host)
      .where("v.username", "=", u);
  const stock = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path) }) });
  const cachedRaw = new BetterSqlite3(path);
  const stmts = new Map<string, BetterSqlite3.Statement>();
  const cached = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: {
        close: () => cachedRaw.close(),
        prepare: (q: string) => stmts.get(q) ?? stmts.set(q, cachedRaw.prepare(q)).get(q)!,
      },
    }),
  });

  const floor = new BetterSqlite3(path);
  const getAcct = floor.prepare("select * from accounts where host = ? and username = ?");
  const getRoster = floor.prepare(
    "select v.version, i.jid, i.name, i.subscription, i.ask, i.approved, i.groups from roster_versions v left join roster_items i on i.host = v.host and i.username = v.username where v.host = ? and v.username = ?",
  );

  const u = (i: number) => `user${i % USERS}`;
  const r = (i: number) => `user${i % ROSTERS}`;
  const cases: Case[] = [
    { label: "Storage accounts.get", fn: (i) => hearth.accounts.get(host, u(i)) },
    { label: "Storage rosters.getRoster (20 items)", fn: (i) => hearth.rosters.getRoster(host, r(i)) },
    {
      label: "Storage rosters.putItem (replace, txn)",
      fn: (i) =>
        hearth.rosters.putItem(host, r(i), { jid: `contact${i % 20}@example.net`, subscription: "both", ask: false, approved: false, groups: [] }),
    },
    { label: "Storage offline.push", fn: (i) => hearth.offline.push(host, u(i), "<message/>", i) },
    { label: "Storage offline.popAll (mostly empty)", fn: (i) => hearth.offline.popAll(host, u(i)) },
    { label: "rows: builder + stmt cache, account", fn: (i) => acctQ(cached, u(i)).execute() },
    { label: "rows: builder + stmt cache, roster", fn: (i) => rosterQ(cached, r(i)).execute() },
    { label: "rows: builder, stock dialect, account", fn: (i) => acctQ(stock, u(i)).execute() },
    { label: "rows: builder, stock dialect, roster", fn: (i) => rosterQ(stock, r(i)).execute() },
    { label: "rows: better-sqlite3 prepared, account", fn: (i) => getAcct.get(host, u(i)) },
    { label: "rows: better-sqlite3 prepared, roster", fn: (i) => getRoster.all(host, r(i)) },
  ];
  for (let round_ = 0; round_ < ROUNDS; round_++) for (const c of cases) await round(c);
  for (const [label, xs] of results) {
    const s = [...xs].sort((a, b) => a - b);
    console.log(`${label.padEnd(40)} median ${s[s.length >> 1]!.toFixed(1).padStart(6)} µs/op   best ${s[0]!.toFixed(1).padStart(6)} µs/op`);
  }
  await hearth.close();
  await stock.destroy();
  await cached.destroy();
  floor.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
