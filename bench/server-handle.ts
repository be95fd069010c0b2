// Starts bench/server-process.ts as a child (pinned to a core when it can), and reads its RSS and CPU time.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL(".", import.meta.url));

export interface ServerHandleOptions {
  /** hearth.toml's shape, as JSON. */
  config: unknown;
  /** `taskset -c <cpu>`, or undefined to run unpinned. */
  cpu: number | undefined;
  /** Write a V8 CPU profile (and the source maps it needs) into this directory. */
  profileDir?: string;
  /** Raise the child's soft fd limit to this many (via prlimit) when it is lower. */
  nofile?: number;
  /** Have V8 write /tmp/perf-<pid>.map, so that Linux perf can name the JavaScript it samples. */
  perfMap?: boolean;
}

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

export function softFdLimit(): { soft: number; hard: number } {
  const r = spawnSync("sh", ["-c", "ulimit -Sn; ulimit -Hn"], { encoding: "utf8" }).stdout.trim().split("\n");
  const n = (s: string | undefined) => (s === "unlimited" ? Infinity : Number(s));
  return { soft: n(r[0]), hard: n(r[1]) };
}

export const canPin = (): boolean => has("taskset");

export class ServerHandle {
  readonly child: ChildProcess;
  readonly port: number;
  readonly pid: number;
  readonly notes: string[];
  /** Waiting for the server's next stdout line; each gets the next one. */
  private readonly listeners: ((o: Record<string, unknown>) => void)[];
  private readonly exited: Promise<void>;

  private constructor(
    child: ChildProcess,
    ready: Record<string, unknown>,
    notes: string[],
    listeners: ((o: Record<string, unknown>) => void)[],
    exited: Promise<void>,
  ) {
    this.child = child;
    this.port = Number(ready.port);
    this.pid = Number(ready.pid);
    this.notes = notes;
    this.listeners = listeners;
    this.exited = exited;
  }

  static async start(opts: ServerHandleOptions): Promise<ServerHandle> {
    const notes: string[] = [];
    const nodeArgs = ["--expose-gc", "--import", "tsx"];
    if (opts.profileDir) nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${opts.profileDir}`);
    if (opts.perfMap) nodeArgs.push("--perf-basic-prof");
    let argv = [process.execPath, ...nodeArgs, join(HERE, "server-process.ts")];
    if (opts.nofile !== undefined) {
      const { soft, hard } = softFdLimit();
      if (soft < opts.nofile) {
        const want = Math.min(opts.nofile, hard);
        if (has("prlimit")) {
          argv = ["prlimit", `--nofile=${want}:${hard === Infinity ? "unlimited" : hard}`, ...argv];
          notes.push(`server fd limit raised to ${want} with prlimit`);
        } else notes.push(`server fd limit is ${soft} (no prlimit to raise it)`);
      }
    }
    if (opts.cpu !== undefined) argv = ["taskset", "-c", String(opts.cpu), ...argv];
    const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_BENCH_CONFIG: JSON.stringify(opts.config) };
    if (opts.profileDir) env.HEARTH_BENCH_SOURCEMAPS_DIR = opts.profileDir;
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const listeners: ((o: Record<string, unknown>) => void)[] = [];
    createInterface({ input: child.stdout! }).on("line", (line) => {
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line) as Record<string, unknown>;
      } catch {
        process.stderr.write(`[server] ${line}\n`);
        return;
      }
      for (const l of listeners.splice(0)) l(o);
    });
    const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("server did not start within 30 s")), 30_000);
      child.once("exit", (code) => reject(new Error(`server exited with ${code} before it was ready`)));
      listeners.push((o) => {
        clearTimeout(timer);
        resolve(o);
      });
    });
    return new ServerHandle(child, ready, notes, listeners, exited);
  }

  private nextLine(timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no answer from the server process")), timeoutMs);
      this.listeners.push((o) => {
        clearTimeout(timer);
        resolve(o);
      });
    });
  }

  /** Resident set size of the server process, KiB (VmRSS in /proc/<pid>/status). */
  rssKiB(): number {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${this.pid}/status`, "utf8"));
    if (!m) throw new Error("no VmRSS");
    return Number(m[1]);
  }

  /** CPU seconds (user + system) the server has used so far. */
  cpuSeconds(): number {
    const t = this.cpuTimes();
    return t.user + t.system;
  }

  /** CPU seconds in user space and in the kernel (on loopback, the kernel time includes delivering to the client). */
  cpuTimes(): { user: number; system: number } {
    const stat = readFileSync(`/proc/${this.pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of stat(5), counted from the state field (3).
    return { user: Number(f[11]) / CLK_TCK, system: Number(f[12]) / CLK_TCK };
  }

  /** CPU time of all the server's threads in ms, with ns precision (schedstat), for events shorter than a tick. */
  cpuMs(): number {
    let ns = 0;
    for (const t of readdirSync(`/proc/${this.pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${this.pid}/task/${t}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // the thread ended meanwhile
      }
    }
    return ns / 1e6;
  }

  /** A full GC in the server; false when it was started without --expose-gc. */
  async gc(): Promise<boolean> {
    const answer = this.nextLine(30_000);
    this.child.kill("SIGUSR2");
    return Boolean((await answer).gc);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 30_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** CPU seconds every process on the machine has used (the first line of /proc/stat, minus idle and iowait). */
function machineCpuSeconds(): number {
  const f = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = f.reduce((a, b) => a + b, 0) - (f[3] ?? 0) - (f[4] ?? 0) - (f[8] ?? 0) - (f[9] ?? 0);
  return busy / CLK_TCK;
}

/**
 * CPU use over an interval, as a share of one core: the server, this load generator, and every other process
 * (the machines are shared; a busy neighbour makes a figure worthless).
 */
export function cpuMeter(server: ServerHandle): () => { server: number; serverKernel: number; client: number; others: number } {
  const t0 = performance.now();
  const s0 = server.cpuSeconds();
  const k0 = server.cpuTimes().system;
  const c0 = process.cpuUsage();
  const m0 = machineCpuSeconds();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const srv = (server.cpuSeconds() - s0) / wall;
    const client = (c.user + c.system) / 1e6 / wall;
    const kernel = (server.cpuTimes().system - k0) / wall;
    return { server: srv, serverKernel: kernel, client, others: Math.max(0, (machineCpuSeconds() - m0) / wall - srv - client) };
  };
}
