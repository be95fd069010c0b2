// Where workload 4b's extra cost goes: server CPU per registration (all threads, then the main thread and
// the rest, mostly the hash pool), and the system calls and bytes of its reads and writes (sockets and
// files), for an open registration, an open one behind a bare pre-auth IQ round trip (the registration
// form), and an invited one, in interleaved slices on one server pinned to core 1.
// Run: node --import tsx bench/invite-overhead.ts [slice seconds, default 2] [slices, default 8] [pending, default 300]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { benchConfig, DOMAIN } from "./fixtures.ts";
import type { Target } from "./load-client.ts";
import { ServerHandle } from "./server-handle.ts";
import { insertInvites, registerUntil } from "./workloads/register.ts";

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

interface Counters {
  cpuMs: number;
  mainMs: number;
  syscalls: number;
  bytes: number;
}

/** The server's CPU (all threads, and its main thread) and its read/write calls so far (proc(5): schedstat, io). */
function counters(): Counters {
  const mainNs = Number(readFileSync(`/proc/${server.pid}/task/${server.pid}/schedstat`, "utf8").split(" ")[0]);
  const io = Object.fromEntries(
    readFileSync(`/proc/${server.pid}/io`, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(": ") as [string, string]),
  );
  return {
    cpuMs: server.cpuMs(),
    mainMs: mainNs / 1e6,
    syscalls: Number(io.syscr) + Number(io.syscw),
    bytes: Number(io.rchar) + Number(io.wchar),
  };
}

async function slice(mode: Mode): Promise<{ accounts: number } & Counters> {
  const before = counters();
  const accounts = await registerUntil(target, performance.now() + sliceSeconds * 1000, CONCURRENCY, () => ({
    username: `o${nextUser++}`,
    token: mode === "invite" ? tokens[nextToken++] : undefined,
    firstIq: mode === "open + IQ" ? FORM_IQ : undefined,
  }));
  const after = counters();
  return {
    accounts,
    cpuMs: after.cpuMs - before.cpuMs,
    mainMs: after.mainMs - before.mainMs,
    syscalls: after.syscalls - before.syscalls,
    bytes: after.bytes - before.bytes,
  };
}

const modes: Mode[] = ["open", "open + IQ", "invite"];
const sums = new Map(modes.map((m) => [m, { accounts: 0, cpuMs: 0, mainMs: 0, syscalls: 0, bytes: 0, each: [] as number[] }]));
try {
  for (const m of modes) await slice(m); // warm-up
  for (let k = 0; k < slices; k++) {
    for (const m of modes) {
      const r = await slice(m);
      const s = sums.get(m)!;
      s.accounts += r.accounts;
      s.cpuMs += r.cpuMs;
      s.mainMs += r.mainMs;
      s.syscalls += r.syscalls;
      s.bytes += r.bytes;
      s.each.push(Math.round((r.cpuMs * 1000) / r.accounts));
    }
  }
  console.log(`${slices} slices of ${sliceSeconds} s per kind, ${pending} pending invites; per registration, the server's`);
  console.log(`  kind        CPU    main thread  other threads  read/write calls  bytes read+written   (CPU of each slice)`);
  for (const m of modes) {
    const s = sums.get(m)!;
    const per = (x: number, scale: number, digits = 0) => ((x * scale) / s.accounts).toFixed(digits);
    console.log(
      `  ${m.padEnd(10)} ${per(s.cpuMs, 1000).padStart(5)} µs ${per(s.mainMs, 1000).padStart(7)} µs ${per(s.cpuMs - s.mainMs, 1000).padStart(10)} µs` +
        ` ${per(s.syscalls, 1, 1).padStart(13)} ${per(s.bytes, 1 / 1024, 1).padStart(15)} KiB   (${s.each.join(", ")})`,
    );
  }
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
