// Where workload 4b's extra CPU goes, by library and by function: open and invited registrations in
// alternating slices on one server pinned to core 1, sampled by Linux perf, each sample counted for the
// kind of load that ran when it was taken. Per registration, in µs of CPU: the main thread and the other
// threads (the hash pool, V8's helpers) by library, then the main thread's functions that differ most.
// Needs `perf` (Debian's linux-perf) and permission to profile the server (root, or perf_event_paranoid ≤ 1).
// Run: node --import tsx bench/invite-profile.ts [slice seconds, default 1] [slices, default 12] [pending, default 300] [functions, default 25]
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { benchConfig, DOMAIN } from "./fixtures.ts";
import type { Target } from "./load-client.ts";
import { attribute, monotonicSeconds, perfAvailable, PerfRecording, type Window } from "./perf-samples.ts";
import { ServerHandle } from "./server-handle.ts";
import { insertInvites, registerUntil } from "./workloads/register.ts";

const [sliceSeconds, slices, pending, top] = ["slice seconds", "slices", "pending", "functions"].map((what, i) => {
  const n = Number(process.argv[2 + i] ?? [1, 12, 300, 25][i]);
  if (!(n > 0)) throw new Error(`${what} must be a positive number, not ${process.argv[2 + i]}`);
  return n;
}) as [number, number, number, number];
if (!perfAvailable()) {
  console.error("invite-profile needs Linux perf (`perf` on the PATH)");
  process.exit(2);
}

const CONCURRENCY = 20;
const KINDS = ["open", "invite"] as const;
type Kind = (typeof KINDS)[number];

const dataDir = mkdtempSync(join(tmpdir(), "hearth-invite-profile-"));
await insertInvites(dataDir, pending);
const tokens = await insertInvites(dataDir, 2000 * sliceSeconds * (slices + 1));
const server = await ServerHandle.start({ config: benchConfig(dataDir), cpu: 1, perfMap: true });
const target: Target = { port: server.port, domain: DOMAIN };
let nextToken = 0;
let nextUser = 0;

async function slice(kind: Kind): Promise<Window> {
  const from = monotonicSeconds();
  const ops = await registerUntil(target, performance.now() + sliceSeconds * 1000, CONCURRENCY, () => ({
    username: `p${nextUser++}`,
    token: kind === "invite" ? tokens[nextToken++] : undefined,
  }));
  return { kind, from, to: monotonicSeconds(), ops };
}

const fixed = (x: number, width = 7) => x.toFixed(1).padStart(width);

try {
  for (const k of KINDS) await slice(k); // warm-up, unsampled
  const recording = await PerfRecording.start(server.pid, join(dataDir, "perf.data"));
  const windows: Window[] = [];
  for (let i = 0; i < slices; i++) for (const k of KINDS) windows.push(await slice(k));
  const samples = attribute(await recording.stop(), windows);

  const ops = new Map<string, number>();
  for (const w of windows) ops.set(w.kind, (ops.get(w.kind) ?? 0) + w.ops);
  const usPer = (kind: string, count: number) => (count * 1e6) / recording.hz / ops.get(kind)!;
  /** Sample counts by kind, then by key. */
  const tally = (keyOf: (thread: string, library: string, symbol: string) => string | undefined) => {
    const t = new Map<string, Map<string, number>>(KINDS.map((k) => [k, new Map()]));
    for (const { sample, window } of samples) {
      const thread = sample.tid === server.pid ? "main" : "other";
      const key = keyOf(thread, sample.library, sample.symbol);
      if (key === undefined) continue;
      const m = t.get(window.kind)!;
      m.set(key, (m.get(key) ?? 0) + 1);
    }
    return t;
  };
  const rows = (t: Map<string, Map<string, number>>) => {
    const keys = new Set([...t.get("open")!.keys(), ...t.get("invite")!.keys()]);
    return [...keys]
      .map((key) => {
        const open = usPer("open", t.get("open")!.get(key) ?? 0);
        const invite = usPer("invite", t.get("invite")!.get(key) ?? 0);
        return { key, open, invite, extra: invite - open };
      })
      .sort((a, b) => Math.abs(b.extra) - Math.abs(a.extra));
  };

  console.log(
    `${slices} slices of ${sliceSeconds} s of each kind, ${pending} pending invites; ${ops.get("open")} open and ` +
      `${ops.get("invite")} invited registrations; ${samples.length} samples at ${recording.hz} Hz`,
  );
  console.log("server CPU per registration, µs           open  invite   extra");
  const byThread = rows(tally((thread) => thread));
  const byLibrary = rows(tally((thread, library) => `${thread.padEnd(5)} ${library}`));
  for (const thread of ["main", "other"]) {
    const total = byThread.find((r) => r.key === thread);
    if (total) console.log(`  ${`${thread} thread${thread === "other" ? "s" : ""}, all`.padEnd(38)} ${fixed(total.open)} ${fixed(total.invite)} ${fixed(total.extra)}`);
    for (const r of byLibrary.filter((r) => r.key.startsWith(thread)).sort((a, b) => b.invite - a.invite)) {
      if (Math.max(r.open, r.invite) < 1) continue;
      console.log(`    ${r.key.slice(6).padEnd(36)} ${fixed(r.open)} ${fixed(r.invite)} ${fixed(r.extra)}`);
    }
  }
  console.log(`main thread: the ${top} functions whose cost differs most`);
  for (const r of rows(tally((thread, library, symbol) => (thread === "main" ? `${symbol} (${library})` : undefined))).slice(0, top)) {
    console.log(`  ${fixed(r.open)} ${fixed(r.invite)} ${fixed(r.extra)}  ${r.key.slice(0, 110)}`);
  }
} finally {
  await server.stop();
  rmSync(`/tmp/perf-${server.pid}.map`, { force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
