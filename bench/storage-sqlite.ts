// Hot storage reads on a file SQLite DB: accounts.get and getRoster (20 items), µs/op.
// Run: node --import tsx bench/storage-sqlite.ts   (prints median and best of 5 rounds of 10k ops)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import { kyselyStorage } from "../src/storage/kysely-storage.ts";
import { migrateToLatest } from "../src/storage/migrations/index.ts";
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
  const hearth = await openSqliteStorage(join(dir, "a.db"));
  await fill(hearth);

  const raw = new BetterSqlite3(join(dir, "b.db"));
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = NORMAL");
  const plainDb = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  await migrateToLatest(plainDb, "sqlite");
  const plain = kyselyStorage(plainDb);
  await fill(plain);

  const floor = new BetterSqlite3(join(dir, "a.db"));
  const getAcct = floor.prepare("select * from accounts where host = ? and username = ?");
  const getRoster = floor.prepare(
    "select v.version, i.* from roster_versions v left join roster_items i on i.host = v.host and i.username = v.username where v.host = ? and v.username = ?",
  );
  const k = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(":memory:") }) });

  const cases: Case[] = [
    { label: "openSqliteStorage accounts.get", fn: (i) => hearth.accounts.get(host, `user${i % USERS}`) },
    { label: "openSqliteStorage getRoster(20)", fn: (i) => hearth.rosters.getRoster(host, `user${i % ROSTERS}`) },
    { label: "plain SqliteDialect accounts.get", fn: (i) => plain.accounts.get(host, `user${i % USERS}`) },
    { label: "plain SqliteDialect getRoster(20)", fn: (i) => plain.rosters.getRoster(host, `user${i % ROSTERS}`) },
    { label: "better-sqlite3 prepared: account row", fn: (i) => getAcct.get(host, `user${i % USERS}`) },
    { label: "better-sqlite3 prepared: roster rows", fn: (i) => getRoster.all(host, `user${i % ROSTERS}`) },
    {
      label: "kysely build+compile only (accounts.get)",
      fn: (i) => k.selectFrom("accounts").selectAll().where("host", "=", host).where("username", "=", `user${i}`).compile(),
    },
  ];
  for (let r = 0; r < ROUNDS; r++) for (const c of cases) await round(c);
  for (const [label, xs] of results) {
    const s = [...xs].sort((a, b) => a - b);
    console.log(`${label.padEnd(42)} median ${s[s.length >> 1]!.toFixed(1).padStart(6)} µs/op   best ${s[0]!.toFixed(1).padStart(6)} µs/op`);
  }
  await hearth.close();
  await plain.close();
  floor.close();
  await k.destroy();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
