// `npm run bench`: workloads 1, 2, 3, 4, 4b and 5 of perf-anchors.md against a Hearth in its own process, over loopback.
//   npm run bench -- [--only login,idle,messages,register,invites,fanout] [--duration 10] [--warmup 3]
//                    [--sessions 1000,5000,10000] [--pairs 100] [--pending 300,1500,100000] [--contacts 500] [--runs 5]
//                    [--repeat 3] [--slices 10] [--slice-seconds 2]
//                    [--profile] [--profile-dir dir] [--no-pin]
// The server runs pinned to core 1, this load generator to core 0 (re-executed under taskset).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { benchConfig, DOMAIN, writeFixtures } from "./fixtures.ts";
import { canPin, ServerHandle } from "./server-handle.ts";
import {
  printFanout,
  printIdle,
  printLogin,
  printMessages,
  printTable,
  type Results,
} from "./report.ts";
import { printHotSpots } from "./profile-top.ts";
import { runLogin } from "./workloads/login.ts";
import { runIdle } from "./workloads/idle.ts";
import { runMessages } from "./workloads/messages.ts";
import { runFanout } from "./workloads/fanout.ts";
import { runRegister } from "./workloads/register.ts";
import { runRegistrations } from "./registrations.ts";
import type { Target } from "./load-client.ts";

const { values: args } = parseArgs({
  options: {
    only: { type: "string" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    sessions: { type: "string", default: "1000,5000,10000" },
    pairs: { type: "string", default: "100" },
    pending: { type: "string", default: "300,1500,100000" },
    contacts: { type: "string", default: "500" },
    runs: { type: "string", default: "5" },
    /** Workloads 4 and 4b: runs per figure, which is their median (one 10 s run varies by ±10 % here). */
    repeat: { type: "string", default: "3" },
    /** Workload 4b against 4: interleaved slices of each path, and their length in seconds. */
    slices: { type: "string", default: "10" },
    "slice-seconds": { type: "string", default: "2" },
    profile: { type: "boolean", default: false },
    "profile-dir": { type: "string" },
    "no-pin": { type: "boolean", default: false },
  },
  allowPositionals: false,
});
const ALIASES: Record<string, string> = { "1": "login", "2": "idle", "3": "messages", "4": "register", "4b": "invites", "5": "fanout" };
const ALL = ["login", "idle", "messages", "register", "invites", "fanout"];
const only = new Set((args.only ?? ALL.join(",")).split(",").map((s) => ALIASES[s.trim()] ?? s.trim()));
for (const w of only) if (!ALL.includes(w)) throw new Error(`unknown workload "${w}" (known: ${ALL.join(", ")})`);

const positive = (s: string, what: string): number => {
  const n = Number(s);
  if (!(n > 0)) throw new Error(`--${what} must be a positive number`);
  return n;
};
const seconds = positive(args.duration!, "duration");
const warmup = Number(args.warmup);
const steps = args.sessions!.split(",").map((s) => positive(s, "sessions"));
const pairs = positive(args.pairs!, "pairs");
const pendingSteps = args.pending!.split(",").map((s) => positive(s, "pending")).sort((a, b) => a - b);
const contacts = positive(args.contacts!, "contacts");
const runs = positive(args.runs!, "runs");
const repeat = positive(args.repeat!, "repeat");
const slices = positive(args.slices!, "slices");
const sliceSeconds = positive(args["slice-seconds"]!, "slice-seconds");
// Once re-executed under taskset this process sees one CPU; the pinning decision was made before.
const cores = availableParallelism();
const pin = process.env.HEARTH_BENCH_PINNED === "1" || (!args["no-pin"] && canPin() && cores >= 2);

// The load generator goes on core 0: re-run this script under taskset once.
if (pin && !process.env.HEARTH_BENCH_PINNED) {
  const child = spawn("taskset", ["-c", "0", process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, HEARTH_BENCH_PINNED: "1" },
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}

async function main(): Promise<void> {
  console.log(`Hearth bench: node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? "?"}`);
  console.log(
    pin
      ? "  pinning: server on core 1 (taskset -c 1), load generator on core 0 (taskset -c 0)"
      : `  pinning: NONE (${args["no-pin"] ? "--no-pin" : cores < 2 ? "fewer than 2 CPUs" : "taskset not found"}); figures are not comparable`,
  );
  console.log(`  load average before start: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log("  wire: plain TCP on 127.0.0.1 (STARTTLS offered, not taken), SASL SCRAM-SHA-1, 4096 iterations");

  const dataDir = mkdtempSync(join(tmpdir(), "hearth-bench-"));
  let profileDir: string | undefined;
  if (args.profile || args["profile-dir"]) {
    profileDir = resolve(args["profile-dir"] ?? mkdtempSync(join(tmpdir(), "hearth-bench-prof-")));
    mkdirSync(profileDir, { recursive: true });
  }
  let server: ServerHandle | undefined;
  const cleanup = async () => {
    await server?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  let interrupted = false;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      if (interrupted) return;
      interrupted = true;
      void cleanup().finally(() => process.exit(sig === "SIGINT" ? 130 : 143));
    });
  }

  const results: Results = {};
  try {
    const users = Math.max(50, only.has("idle") ? Math.max(...steps) : 0, only.has("messages") ? pairs * 2 : 0);
    const fanContacts = only.has("fanout") ? contacts : 0;
    const t0 = performance.now();
    await writeFixtures(dataDir, { users, contacts: fanContacts });
    console.log(`  fixtures: ${users} accounts${fanContacts ? ` + 1 with ${fanContacts} mutual contacts` : ""} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const startServer = async (): Promise<ServerHandle> => {
      const s = await ServerHandle.start({
        config: benchConfig(dataDir),
        cpu: pin ? 1 : undefined,
        profileDir,
        nofile: Math.max(...steps) + 1000,
      });
      for (const n of s.notes) console.log(`  ${n}`);
      console.log(`  server pid ${s.pid}, port ${s.port}${profileDir ? `, CPU profile into ${profileDir}` : ""}`);
      return s;
    };
    server = await startServer();
    const target: Target = { port: server.port, domain: DOMAIN };

    if (only.has("login")) {
      console.log(`\n1. Login: closed loop, 50 concurrent, ${seconds} s`);
      results.login = await runLogin(target, server, { seconds, concurrency: 50 });
      printLogin(results.login);
    }
    if (only.has("idle")) {
      console.log(`\n2. Idle sessions: 50 at a time to ${steps.join(", ")}`);
      if (results.login) {
        // The peers' RSS figures are of a fresh server, not of one carrying the login run's leftovers.
        await server.stop();
        server = await startServer();
        target.port = server.port;
      }
      results.idle = await runIdle(target, server, { steps, concurrency: 50, settleMs: 2000 });
      printIdle(results.idle);
    }
    if (only.has("messages")) {
      console.log(`\n3. Messages: ${pairs} pairs, 10 in flight each, ${warmup} s warm-up, ${seconds} s measured`);
      results.messages = await runMessages(target, server, { pairs, inFlight: 10, warmupSeconds: warmup, seconds });
      printMessages(results.messages);
    }
    if ((only.has("register") || only.has("invites")) && warmup > 0) {
      // Like workload 3's warm-up: the first seconds of a fresh server measure V8 compiling the path.
      await runRegister(target, server, { seconds: warmup, concurrency: 20, prefix: "w" });
    }
    if (only.has("register") || only.has("invites")) {
      await runRegistrations(target, server, only, { seconds, repeat, pendingSteps, dataDir, slices, sliceSeconds }, results);
    }
    if (only.has("fanout")) {
      console.log(`\n5. Fan-out: initial presence of a user with ${contacts} mutual contacts, all online; ${runs} runs`);
      results.fanout = await runFanout(target, server, { contacts, runs, timeoutMs: 10_000 });
      printFanout(results.fanout);
    }
    console.log("\nSummary (peers: perf-anchors.md, same machine class, PLAIN without hashing; Hearth: SCRAM-SHA-1):");
    printTable(results);
  } catch (e) {
    console.error(`bench failed: ${(e as Error).stack ?? e}`);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
  if (profileDir) {
    console.log("");
    printHotSpots(profileDir);
  }
}
