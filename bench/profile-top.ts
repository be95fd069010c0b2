// Top self-time functions of a V8 .cpuprofile, with TypeScript file:line via the source maps the server dumped.
// Run: node --import tsx bench/profile-top.ts <dir with .cpuprofile (+ sourcemaps.json) | file.cpuprofile> [top]
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, join, relative } from "node:path";
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
  selfMs: number;
  share: number;
  name: string;
  where: string;
}

export function hotSpots(profilePath: string, mapsPath?: string): { totalMs: number; spots: HotSpot[]; byFile: HotSpot[] } {
  const p = JSON.parse(readFileSync(profilePath, "utf8")) as Profile;
  const maps = new Map<string, SourceMap>();
  if (mapsPath && existsSync(mapsPath)) {
    const raw = JSON.parse(readFileSync(mapsPath, "utf8")) as Record<string, ConstructorParameters<typeof SourceMap>[0]>;
    for (const [url, payload] of Object.entries(raw)) maps.set(url, new SourceMap(payload));
  }
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i + 1] ?? 0;
    selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + dt);
  }
  const fn = new Map<string, HotSpot>();
  const files = new Map<string, HotSpot>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === "(idle)") continue;
    total += us;
    const where = locate(cf, maps);
    const name = cf.functionName || "(anonymous)";
    const key = `${name} ${where}`;
    const h = fn.get(key) ?? { selfMs: 0, share: 0, name, where };
    h.selfMs += us / 1000;
    fn.set(key, h);
    const file = where ? where.replace(/:\d+$/, "") : name;
    const f = files.get(file) ?? { selfMs: 0, share: 0, name: file, where: "" };
    f.selfMs += us / 1000;
    files.set(file, f);
  }
  const finish = (m: Map<string, HotSpot>) =>
    [...m.values()].map((h) => ({ ...h, share: h.selfMs / (total / 1000) })).sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs: total / 1000, spots: finish(fn), byFile: finish(files) };
}

export function printHotSpots(path: string, top = 25): void {
  const file = statSync(path).isDirectory()
    ? join(path, readdirSync(path).filter((f) => f.endsWith(".cpuprofile")).sort().at(-1) ?? "")
    : path;
  const { totalMs, spots, byFile } = hotSpots(file, join(dirname(file), "sourcemaps.json"));
  console.log(`CPU profile ${file}: ${(totalMs / 1000).toFixed(1)} s busy (idle excluded)`);
  console.log("  self ms   share  function  (file:line)");
  for (const h of spots.slice(0, top)) {
    console.log(`  ${h.selfMs.toFixed(0).padStart(7)}  ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}  ${h.where}`);
  }
  console.log("  by file:");
  for (const h of byFile.slice(0, 15)) {
    console.log(`  ${h.selfMs.toFixed(0).padStart(7)}  ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`);
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
