// Workloads 4 and 4b: XEP-0077 registrations, a new connection per account, closed loop; 4b first sends a
// XEP-0445 `<preauth/>` with a token of its own, created beforehand straight into SQLite.
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { openStorage } from "../../src/storage/open.ts";
import type { InviteRecord } from "../../src/storage/types.ts";
import { LoadClient, attr, type Target } from "../load-client.ts";
import { cpuMeter, type ServerHandle } from "../server-handle.ts";
import { DOMAIN, PASSWORD } from "../fixtures.ts";
import { Samples, type RegisterResult } from "../report.ts";

export interface RegisterOptions {
  seconds: number;
  concurrency: number;
  /** Usernames are `<prefix><n>`; each run needs its own prefix. */
  prefix: string;
  /** 4b: one token per registration; the run ends early when they run out. */
  tokens?: string[];
  /** 4b: how many other invites wait in the store, unused. */
  pending?: number;
}

const STREAM = "http://etherx.jabber.org/streams";

/**
 * One account on a new connection. With a token, a `<preauth/>` goes first; `firstIq` sends another IQ
 * (id 'a', answered with a result) in its place, to weigh a bare round trip.
 */
export async function registerOne(target: Target, username: string, token: string | undefined, firstIq?: string): Promise<LoadClient> {
  const c = await LoadClient.connect(target);
  try {
    c.send(`<?xml version='1.0'?><stream:stream to='${target.domain}' version='1.0' xml:lang='en' xmlns='jabber:client' xmlns:stream='${STREAM}'>`);
    await c.expect("features", (s) => s.startsWith("<stream:features"));
    if (token !== undefined || firstIq !== undefined) {
      c.send(firstIq ?? `<iq type='set' id='a'><preauth xmlns='urn:xmpp:pars:0' token='${token}'/></iq>`);
      const r = await c.expect("preauth", (s) => s.startsWith("<iq") && attr(s, "id") === "a");
      if (attr(r, "type") !== "result") throw new Error(`preauth failed: ${r.slice(0, 300)}`);
    }
    c.send(
      `<iq type='set' id='r'><query xmlns='jabber:iq:register'><username>${username}</username>` +
        `<password>${PASSWORD}</password></query></iq>`,
    );
    const r = await c.expect("register", (s) => s.startsWith("<iq") && attr(s, "id") === "r");
    if (attr(r, "type") !== "result") throw new Error(`registration failed: ${r.slice(0, 300)}`);
    return c;
  } catch (e) {
    c.destroy();
    throw e;
  }
}

/** What `registerUntil` registers next: the username, and a token or another first IQ when there is one. */
export type NextAccount = () => { username: string; token?: string; firstIq?: string };

/** Registrations in a closed loop from `concurrency` connections until the deadline (performance.now() ms); how many. */
export async function registerUntil(target: Target, deadline: number, concurrency: number, next: NextAccount): Promise<number> {
  let accounts = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const { username, token, firstIq } = next();
      const c = await registerOne(target, username, token, firstIq);
      await c.close();
      accounts++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return accounts;
}

export async function runRegister(target: Target, server: ServerHandle, opts: RegisterOptions): Promise<RegisterResult> {
  const samples = new Samples();
  const closing = new Set<Promise<void>>();
  const tokens = opts.tokens;
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  let ranOut = false;
  const cpu = cpuMeter(server);
  const start = performance.now();
  const deadline = start + opts.seconds * 1000;

  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const n = next++;
      const token = tokens?.[n];
      if (tokens && token === undefined) {
        ranOut = true;
        return;
      }
      const t0 = performance.now();
      try {
        const c = await registerOne(target, `${opts.prefix}${n}`, token);
        const t1 = performance.now();
        if (t1 <= deadline) samples.add(t1 - t0);
        const p = c.close();
        closing.add(p);
        void p.then(() => closing.delete(p));
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
        if (errors > 100) return;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = Math.min(opts.seconds, (performance.now() - start) / 1000);
  const usage = cpu();
  await Promise.all(closing);
  const [p50, p99] = samples.percentiles(50, 99);
  return {
    accounts: samples.n,
    seconds,
    perSecond: samples.n / seconds,
    p50: p50!,
    p99: p99!,
    errors,
    firstError: ranOut ? (firstError ?? "ran out of tokens before the end") : firstError,
    cpu: usage,
    pending: opts.pending,
    pool: tokens?.length,
  };
}

/**
 * Writes `count` single-use account invites into the bench's SQLite (one transaction) and returns their tokens.
 * Runs beside the live server (SQLite serialises the writers), between runs.
 */
export async function insertInvites(dataDir: string, count: number): Promise<string[]> {
  const storage = await openStorage({ driver: "sqlite", path: join(dataDir, "hearth.sqlite") });
  try {
    const now = Date.now();
    const tokens: string[] = new Array(count);
    await storage.transaction(async (tx) => {
      for (let i = 0; i < count; i++) {
        const token = randomBytes(18).toString("base64url");
        const tokenHash = createHash("sha256").update(token).digest("hex");
        tokens[i] = token;
        const invite: InviteRecord = {
          host: DOMAIN,
          tokenHash,
          id: tokenHash.slice(0, 16),
          type: "register",
          boundUsername: undefined,
          resetUsername: undefined,
          inviter: undefined,
          allowRegistration: true,
          reusable: false,
          maxUses: undefined,
          uses: 0,
          roles: [],
          groups: [],
          note: undefined,
          createdBy: "bench",
          createdAt: now,
          expires: now + 86_400_000,
          revokedAt: undefined,
          usedAt: undefined,
          usedBy: undefined,
        };
        await tx.invites.insert(invite);
      }
    });
    return tokens;
  } finally {
    await storage.close();
    checkpoint(dataDir);
  }
}

/**
 * Copies the bench's own writes from the WAL into the database before a run, so the server does not
 * checkpoint thousands of set-up pages inside the measured seconds.
 */
function checkpoint(dataDir: string): void {
  const db = new BetterSqlite3(join(dataDir, "hearth.sqlite"), { timeout: 5000 });
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

/** Revokes those of `tokens` still live (the run's leftovers), so they do not count as pending in the next run. */
export async function revokeInvites(dataDir: string, tokens: readonly string[]): Promise<void> {
  const storage = await openStorage({ driver: "sqlite", path: join(dataDir, "hearth.sqlite") });
  try {
    const now = Date.now();
    await storage.transaction(async (tx) => {
      for (const t of tokens) await tx.invites.revoke(DOMAIN, createHash("sha256").update(t).digest("hex"), now);
    });
  } finally {
    await storage.close();
    checkpoint(dataDir);
  }
}
