// CPU samples of one process from Linux perf (cpu-clock, timestamps on CLOCK_MONOTONIC), so that the CPU of a
// server running two kinds of load in alternating slices can be split by kind, thread and library. Unlike a
// V8 profile, a sample is CPU time: a thread waiting for the core (the hash pool runs on the same one) is
// not sampled, and the kernel and native libraries are.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { basename } from "node:path";

export interface Sample {
  tid: number;
  /** CLOCK_MONOTONIC seconds: the clock of `monotonicSeconds()`. */
  at: number;
  symbol: string;
  /** The binary the sample's code is in: "node", "kernel", "JIT" (V8's generated code), a library's file name. */
  library: string;
}

/** A stretch of time in which one kind of load ran, and how many operations it completed. */
export interface Window {
  kind: string;
  from: number;
  to: number;
  ops: number;
}

export const monotonicSeconds = (): number => Number(process.hrtime.bigint()) / 1e9;

export function perfAvailable(): boolean {
  return spawnSync("perf", ["--version"], { stdio: "ignore" }).status === 0;
}

function libraryOf(dso: string): string {
  if (dso === "[kernel.kallsyms]" || dso.startsWith("[kernel")) return "kernel";
  const name = basename(dso);
  if (/^perf-\d+\.map$/.test(name)) return "JIT";
  return name || "unknown";
}

/** `perf script -F tid,time,ip,sym,dso` output, one line per sample (recorded without call graphs). */
export function parsePerfScript(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+)\s+(\d+\.\d+):\s+[0-9a-f]+\s+(.*?)\s*\(([^()]*)\)\s*$/.exec(line);
    if (!m) continue;
    out.push({ tid: Number(m[1]), at: Number(m[2]), symbol: m[3]!.replace(/\+0x[0-9a-f]+$/, "") || "[unknown]", library: libraryOf(m[4]!) });
  }
  return out;
}

/** Each sample with the window it fell in; samples between windows are dropped. */
export function attribute(samples: readonly Sample[], windows: readonly Window[]): { sample: Sample; window: Window }[] {
  const sorted = [...windows].sort((a, b) => a.from - b.from);
  const out: { sample: Sample; window: Window }[] = [];
  for (const s of samples) {
    let lo = 0;
    let hi = sorted.length - 1;
    let found: Window | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const w = sorted[mid]!;
      if (s.at < w.from) hi = mid - 1;
      else if (s.at > w.to) lo = mid + 1;
      else {
        found = w;
        break;
      }
    }
    if (found) out.push({ sample: s, window: found });
  }
  return out;
}

/** `perf record` on a running process until `stop()`. */
export class PerfRecording {
  readonly #child: ChildProcess;
  readonly #file: string;
  readonly hz: number;

  private constructor(child: ChildProcess, file: string, hz: number) {
    this.#child = child;
    this.#file = file;
    this.hz = hz;
  }

  static async start(pid: number, file: string, hz = 4999): Promise<PerfRecording> {
    const child = spawn("perf", ["record", "-q", "-k", "CLOCK_MONOTONIC", "-e", "cpu-clock", "-F", String(hz), "-p", String(pid), "-o", file], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    // perf attaches within milliseconds; a sample before it is merely lost.
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode !== null) throw new Error(`perf record exited with ${child.exitCode}`);
    return new PerfRecording(child, file, hz);
  }

  async stop(): Promise<Sample[]> {
    const exited = new Promise((r) => this.#child.once("exit", r));
    this.#child.kill("SIGINT");
    await exited;
    const script = spawnSync("perf", ["script", "-i", this.#file, "-F", "tid,time,ip,sym,dso"], { encoding: "utf8", maxBuffer: 1 << 30 });
    if (script.status !== 0) throw new Error(`perf script failed: ${script.stderr}`);
    return parsePerfScript(script.stdout);
  }
}
