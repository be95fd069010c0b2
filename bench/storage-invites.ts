// Invite lookups on a file SQLite DB (WAL, synchronous=NORMAL) with 300 and with 100,000 live invites: µs/op.
// Run: node --import tsx bench/storage-invites.ts [sizes, default 300,100000]
// Token operations are index lookups, so their cost should not grow with the number of pending invites.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import type { InviteRecord, Storage } from "../src/storage/types.ts";

const sizes = (process.argv[2] ?? "300,100000").split(",").map(Number);
const host = "example.org";
const NOW = Date.now();
const ROUNDS = 7;
const READS = 10_000;
/** Consumes per round: single-use invites, each used once, then put back (untimed) for the next round. */
const CONSUMES = 300;
const USERS = 500;

function hashOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function record(n: number, tokenHash: string): InviteRecord {
  const contact = n % 10 === 0;
  return {
    host,
    tokenHash,
    id: tokenHash.slice(0, 16),
    type: contact ? "roster" : "register",
    boundUsername: !contact && n % 7 === 0 ? `bound${n}` : undefined,
    resetUsername: undefined,
    inviter: contact ? `user${n % USERS}` : undefined,
    allowRegistration: !contact,
    reusable: false,
    maxUses: undefined,
    uses: 0,
    roles: ["user"],
    groups: n % 3 === 0 ? ["default"] : [],
    note: undefined,
    createdBy: contact ? `user${n % USERS}@${host}` : "cli",
    createdAt: NOW - 1000 + (n % 1000),
    expires: NOW + 7 * 86_400_000,
    revokedAt: undefined,
    usedAt: undefined,
    usedBy: undefined,
  };
}

async function fill(s: Storage, count: number): Promise<string[]> {
  const hashes: string[] = [];
  await s.transaction(async (tx) => {
    for (let n = 0; n < count; n++) {
      const h = hashOf(randomBytes(18).toString("base64url"));
      hashes.push(h);
      await tx.invites.insert(record(n, h));
    }
  });
  return hashes;
}

function pick<T>(xs: readonly T[], k: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < k; i++) out.push(xs[Math.floor(Math.random() * xs.length)]!);
  return out;
}

async function time(ops: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await fn(i);
  return Number(process.hrtime.bigint() - t0) / 1000 / ops;
}

function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[s.length >> 1]!.toFixed(1).padStart(6)} µs/op   best ${s[0]!.toFixed(1).padStart(6)} µs/op`;
}

for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), "hearth-bench-invites-"));
  try {
    const path = join(dir, "invites.db");
    const s = await openSqliteStorage(path);
    const hashes = await fill(s, size);
    const side = new BetterSqlite3(path);
    const unuse = side.prepare("update invites set uses = 0, used_at = null, used_by = null where host = ? and token_hash = ?");
    const misses = Array.from({ length: 1000 }, () => hashOf(randomBytes(18).toString("base64url")));
    const results = new Map<string, number[]>();
    const add = (label: string, us: number) => results.set(label, [...(results.get(label) ?? []), us]);

    // Warm the statement caches and the page cache.
    for (const h of pick(hashes, 2000)) await s.invites.get(host, h);

    for (let r = 0; r < ROUNDS; r++) {
      const reads = pick(hashes, READS);
      add("invites.get (hit)", await time(READS, (i) => s.invites.get(host, reads[i]!)));
      add("invites.get (unknown token)", await time(READS, (i) => s.invites.get(host, misses[i % misses.length]!)));

      const batch = [...new Set(pick(hashes, CONSUMES))];
      add("invites.consume (single-use, wins)", await time(batch.length, (i) => s.invites.consume(host, batch[i]!, `u${i}@${host}`, NOW, true)));
      add("invites.consume (already used)", await time(batch.length, (i) => s.invites.consume(host, batch[i]!, `u${i}@${host}`, NOW, true)));
      for (const h of batch) unuse.run(host, h);

      add("invites.findLiveBound", await time(READS, (i) => s.invites.findLiveBound(host, `bound${(i * 7) % size}`, NOW)));
      add("invites.countLiveCreatedBy (user)", await time(2000, (i) => s.invites.countLiveCreatedBy(host, `user${i % USERS}@${host}`, NOW)));
    }
    add("invites.purge (nothing to delete)", await time(3, () => s.invites.purge(NOW, NOW - 30 * 86_400_000)));

    console.log(`\n${size.toLocaleString("en")} live invites`);
    for (const [label, xs] of results) console.log(`  ${label.padEnd(38)} ${summary(xs)}`);
    side.close();
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
