// Where workload 4b's extra cost goes: server CPU (all threads) per registration for an open registration,
// an open one behind a bare pre-auth IQ round trip (the registration form), and an invited one, in
// interleaved slices on one server pinned to core 1.
// Run: node --import tsx bench/invite-overhead.ts [slice seconds, default 2] [slices, default 8] [pending, default 300]
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { benchConfig, DOMAIN } from "./fixtures.ts";
import type { Target } from "./load-client.ts";
import { ServerHandle } from "./server-handle.ts";
import { insertInvites, registerOne } from "./workloads/register.ts";

const [sliceSeconds, slices, pending] = ["slice seconds", "slices", "pending"].map((what, i) => {
  const n = Number(process.argv[2 + i] ?? [2, 8, 300][i]);
  if (!(n > 0)) throw new Error(`${what} must be a positive number, not ${process.argv[2 + i]}`);
  return n;
}) as [number, number, number];
const CONCURRENCY = 20;
const FORM_IQ = "<iq type='get' id='a'><query xmlns='jabber:iq:register'/></iq>";
type Mode = "open" | "open + IQ" | "invite";

const dataDir = mkdtempSync(join(tmpdir(), "hearth-overhead-"));
await insertInvites(dataDir, pending);
const tokens = await insertInvites(dataDir, 2000 * sliceSeconds * (slices + 1));
const server = await ServerHandle.start({ config: benchConfig(dataDir), cpu: 1 });
const target: Target = { port: server.port, domain: DOMAIN };
let nextToken = 0;
let nextUser = 0;

async function slice(mode: Mode): Promise<{ accounts: number; cpuMs: number }> {
  const cpu0 = server.cpuMs();
  const deadline = performance.now() + sliceSeconds * 1000;
  let accounts = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const token = mode === "invite" ? tokens[nextToken++] : undefined;
      const c = await registerOne(target, `o${nextUser++}`, token, mode === "open + IQ" ? FORM_IQ : undefined);
      await c.close();
      accounts++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { accounts, cpuMs: server.cpuMs() - cpu0 };
}

const modes: Mode[] = ["open", "open + IQ", "invite"];
const sums = new Map(modes.map((m) => [m, { accounts: 0, cpuMs: 0, each: [] as number[] }]));
try {
  for (const m of modes) await slice(m); // warm-up
  for (let k = 0; k < slices; k++) {
    for (const m of modes) {
      const r = await slice(m);
      const s = sums.get(m)!;
      s.accounts += r.accounts;
      s.cpuMs += r.cpuMs;
      s.each.push(Math.round((r.cpuMs * 1000) / r.accounts));
    }
  }
  console.log(`${slices} slices of ${sliceSeconds} s per kind, ${pending} pending invites; server CPU per registration:`);
  for (const m of modes) {
    const s = sums.get(m)!;
    console.log(`  ${m.padEnd(10)} ${((s.cpuMs * 1000) / s.accounts).toFixed(0).padStart(5)} µs   (slices: ${s.each.join(", ")})`);
  }
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
