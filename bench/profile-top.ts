// Top self-time functions of a V8 .cpuprofile, with TypeScript file:line via the source maps the server dumped.
// Run: node --import tsx bench/profile-top.ts <dir of .cpuprofile + sourcemaps-<pid>.json | file.cpuprofile> [top]
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { SourceMap } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}
/** Written by server-process.ts at exit. */
interface Sidecar {
  readyUs?: number;
  stopUs?: number;
  maps: Record<string, ConstructorParameters<typeof SourceMap>[0]>;
}

const ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..");

function locate(cf: CallFrame, maps: Map<string, SourceMap>): string {
  if (!cf.url) return "";
  const sm = maps.get(cf.url);
  let file = cf.url;
  let line = cf.lineNumber + 1;
  if (sm && cf.lineNumber >= 0) {
    const e = sm.findEntry(cf.lineNumber, cf.columnNumber) as { originalSource?: string; originalLine?: number };
    if (e.originalSource) {
      file = e.originalSource;
      line = (e.originalLine ?? 0) + 1;
    }
  }
  if (file.startsWith("file://")) file = relative(ROOT, fileURLToPath(file));
  return `${file}:${line}`;
}

export interface HotSpot {
  /** Time in the function itself. */
  selfMs: number;
  /** Time in the function and what it called (recursion counted once). */
  totalMs: number;
  share: number;
  name: string;
  where: string;
}

export interface ProfileSummary {
  busyMs: number;
  skippedStartupMs: number;
  spots: HotSpot[];
  byFile: HotSpot[];
}

/** Samples from before the server was ready (module loading) or after it was told to stop are left out, when the sidecar says when. */
export function hotSpots(profilePath: string, sidecarPath?: string): ProfileSummary {
  const p = JSON.parse(readFileSync(profilePath, "utf8")) as Profile;
  const maps = new Map<string, SourceMap>();
  let readyUs = 0;
  let stopUs = Infinity;
  if (sidecarPath && existsSync(sidecarPath)) {
    const side = JSON.parse(readFileSync(sidecarPath, "utf8")) as Sidecar;
    readyUs = side.readyUs ?? 0;
    stopUs = side.stopUs || Infinity;
    for (const [url, payload] of Object.entries(side.maps)) maps.set(url, new SourceMap(payload));
  }
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = new Map<number, string>();
  const info = new Map<string, HotSpot>();
  for (const n of p.nodes) {
    const cf = n.callFrame;
    const where = locate(cf, maps);
    const name = cf.functionName || "(anonymous)";
    const k = `${name} ${where}`;
    key.set(n.id, k);
    if (!info.has(k)) info.set(k, { selfMs: 0, totalMs: 0, share: 0, name, where });
  }
  const files = new Map<string, HotSpot>();
  let busyUs = 0;
  let skippedUs = 0;
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    const dt = p.timeDeltas[i + 1] ?? 0;
    const id = p.samples[i]!;
    const leaf = info.get(key.get(id)!)!;
    if (leaf.name === "(idle)") continue;
    if (t < readyUs || t > stopUs) {
      skippedUs += dt;
      continue;
    }
    busyUs += dt;
    leaf.selfMs += dt / 1000;
    const file = leaf.where ? leaf.where.replace(/:\d+$/, "") : leaf.name;
    const f = files.get(file) ?? { selfMs: 0, totalMs: 0, share: 0, name: file, where: "" };
    f.selfMs += dt / 1000;
    files.set(file, f);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const k = key.get(n)!;
      if (seen.has(k)) continue;
      seen.add(k);
      info.get(k)!.totalMs += dt / 1000;
    }
  }
  const finish = (m: Map<string, HotSpot>) =>
    [...m.values()]
      .filter((h) => h.selfMs > 0 || h.totalMs > 0)
      .map((h) => ({ ...h, share: h.selfMs / (busyUs / 1000) }))
      .sort((a, b) => b.selfMs - a.selfMs);
  return { busyMs: busyUs / 1000, skippedStartupMs: skippedUs / 1000, spots: finish(info), byFile: finish(files) };
}

/** `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`, as node names them. */
function profileIds(file: string): { pid: string; thread: string } {
  const parts = basename(file).split(".");
  return { pid: parts[3] ?? "", thread: parts[4] ?? "" };
}

/** The main thread's profile of each server process in `path` (tsx's loader thread writes one too), or `path` itself. */
export function mainThreadProfiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => f.endsWith(".cpuprofile") && profileIds(f).thread === "0")
    .sort()
    .map((f) => join(path, f));
}

export function printHotSpots(path: string, top = 25): void {
  for (const file of mainThreadProfiles(path)) {
    const sidecar = join(dirname(file), `sourcemaps-${profileIds(file).pid}.json`);
    const s = hotSpots(file, existsSync(sidecar) ? sidecar : join(dirname(file), "sourcemaps.json"));
    const pct = (ms: number) => `${((ms / s.busyMs) * 100).toFixed(1).padStart(5)}%`;
    console.log(
      `CPU profile ${file}: ${(s.busyMs / 1000).toFixed(1)} s busy while serving ` +
        `(idle, and ${(s.skippedStartupMs / 1000).toFixed(1)} s of start-up and shutdown, left out)`,
    );
    console.log("  top self time:   self  share  function  (file:line)");
    for (const h of s.spots.slice(0, top)) console.log(`  ${h.selfMs.toFixed(0).padStart(20)} ${pct(h.selfMs)}  ${h.name}  ${h.where}`);
    console.log("  by file (self):");
    for (const h of s.byFile.slice(0, 15)) console.log(`  ${h.selfMs.toFixed(0).padStart(20)} ${pct(h.selfMs)}  ${h.name}`);
    console.log("  Hearth functions by total time (self + callees):");
    const ours = s.spots.filter((h) => h.where.startsWith("src/")).sort((a, b) => b.totalMs - a.totalMs);
    for (const h of ours.slice(0, top)) console.log(`  ${h.totalMs.toFixed(0).padStart(20)} ${pct(h.totalMs)}  ${h.name}  ${h.where}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = process.argv[2];
  if (!target) {
    console.error("usage: profile-top.ts <profile dir | file.cpuprofile> [top]");
    process.exit(2);
  }
  printHotSpots(target, Number(process.argv[3] ?? 25));
}
