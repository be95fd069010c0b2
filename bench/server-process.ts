// The benchmarked Hearth, alone in its process: config from HEARTH_BENCH_CONFIG (JSON, hearth.toml's shape).
// stdout carries one JSON line per event: {"ready":…,"port":…,"pid":…} and {"gc":…}. Logs go to stderr.
// SIGUSR2 runs a full GC (needs --expose-gc); SIGTERM stops the server and exits.
import { readdirSync, writeFileSync } from "node:fs";
import { findSourceMap } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseConfig } from "../src/core/config/index.ts";
import { createLogger } from "../src/core/logger.ts";
import { HearthServer } from "../src/core/server.ts";

const raw: unknown = JSON.parse(process.env.HEARTH_BENCH_CONFIG ?? "{}");
const config = parseConfig(raw, { baseDir: process.cwd() });
const server = await HearthServer.start({ config, log: createLogger(config.logLevel, { destination: 2 }) });

function say(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(o) + "\n");
}

process.on("SIGUSR2", () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  say({ gc: Boolean(gc), rssKiB: Math.round(process.memoryUsage.rss() / 1024) });
});

/** --cpu-prof positions are in tsx's output; the maps let the summary name TypeScript lines. */
function dumpSourceMaps(path: string): void {
  const root = join(fileURLToPath(import.meta.url), "../..");
  const maps: Record<string, unknown> = {};
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) {
        const url = pathToFileURL(p).href;
        const sm = findSourceMap(url);
        if (sm) maps[url] = sm.payload;
      }
    }
  };
  walk(join(root, "src"));
  walk(join(root, "bench"));
  writeFileSync(path, JSON.stringify(maps));
}

let stopping = false;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  void server.stop().finally(() => {
    if (process.env.HEARTH_BENCH_SOURCEMAPS) dumpSourceMaps(process.env.HEARTH_BENCH_SOURCEMAPS);
    process.exit(0);
  });
});

say({ ready: true, port: server.port("starttls"), pid: process.pid });
