// K92 (test-cases.md): does the invite page's response time tell unknown, expired, revoked and near-miss tokens apart?
// Run: node --import tsx bench/invite-page-timing.ts [samples per kind, default 1000]
// Requests are interleaved in random order (so drift hits every kind alike), over real HTTP with keep-alive and
// in process (app.request, no sockets). Reports the median, p90 and the median's difference from "unknown".
import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { startTestServer } from "../test/helpers/server.ts";
import type { HttpApi } from "../src/http/types.ts";
import type { InvitesApi } from "../src/modules/invites/api.ts";

const SAMPLES = Number(process.argv[2] ?? 1000);
const CLI = { by: "cli", isAdmin: true };

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function flip(token: string): string {
  const last = token.at(-1) === "A" ? "B" : "A";
  return token.slice(0, -1) + last;
}

async function main(): Promise<void> {
  const ts = await startTestServer({
    configure: (c) => {
      c.invites.tokenFailures = { max: 1_000_000, windowSeconds: 60 };
      c.http.rateLimit = { max: 1_000_000, windowSeconds: 60 };
    },
  });
  try {
    const http = ts.server.modules.api<HttpApi>("http")!;
    const invites = ts.server.modules.api<InvitesApi>("invites")!;
    // Some pending invites, so that lookups are index lookups in a table that is not empty.
    for (let i = 0; i < 300; i++) await invites.createAccount({ host: ts.host, creator: CLI });
    const valid = await invites.createAccount({ host: ts.host, creator: CLI });
    const expired = await invites.createAccount({ host: ts.host, creator: CLI, ttlSeconds: 0.05 });
    const revoked = await invites.createAccount({ host: ts.host, creator: CLI });
    await invites.revoke(ts.host, revoked.token);
    await new Promise((r) => setTimeout(r, 100));

    const kinds: Record<string, () => string> = {
      unknown: () => randomBytes(18).toString("base64url"),
      expired: () => expired.token,
      revoked: () => revoked.token,
      "valid-prefix (last char changed)": () => flip(valid.token),
      "valid-prefix (first 12 chars)": () => valid.token.slice(0, 12),
    };
    const names = Object.keys(kinds);
    const port = http.port("http");
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });

    const overHttp = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const t0 = process.hrtime.bigint();
        const req = request({ host: "127.0.0.1", port, path, agent }, (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== 404) reject(new Error(`status ${res.statusCode} for ${path}`));
            else resolve(Number(process.hrtime.bigint() - t0) / 1e6);
          });
        });
        req.on("error", reject);
        req.end();
      });
    const inProcess = async (path: string) => {
      const t0 = process.hrtime.bigint();
      const res = await http.app.request(path);
      await res.text();
      if (res.status !== 404) throw new Error(`status ${res.status} for ${path}`);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };

    for (const [label, measure] of [["HTTP over loopback", overHttp], ["in process (app.request)", inProcess]] as const) {
      const order = shuffle(names.flatMap((n) => Array.from({ length: SAMPLES }, () => n)));
      for (const n of names.slice(0, 5)) for (let i = 0; i < 50; i++) await measure(`/invite?${kinds[n]!()}`); // warm-up
      const times = new Map<string, number[]>(names.map((n) => [n, []]));
      for (const n of order) times.get(n)!.push(await measure(`/invite?${kinds[n]!()}`));
      console.log(`\n${label}, ${SAMPLES} requests per kind (ms):`);
      const base = quantile([...times.get("unknown")!].sort((a, b) => a - b), 0.5);
      for (const n of names) {
        const s = [...times.get(n)!].sort((a, b) => a - b);
        const med = quantile(s, 0.5);
        console.log(
          `  ${n.padEnd(34)} median ${med.toFixed(3)}  p90 ${quantile(s, 0.9).toFixed(3)}  vs unknown ${(med - base >= 0 ? "+" : "") + (med - base).toFixed(3)}`,
        );
      }
    }
    agent.destroy();
  } finally {
    await ts.stop();
  }
}

await main();
