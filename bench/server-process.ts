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
  const m = process.memoryUsage();
  const kib = (n: number) => Math.round(n / 1024);
  say({ gc: Boolean(gc), rssKiB: kib(m.rss), heapUsedKiB: kib(m.heapUsed), heapTotalKiB: kib(m.heapTotal), externalKiB: kib(m.external) });
});

/** When the server was ready, on the clock of V8's profile timestamps (CLOCK_MONOTONIC, µs). */
const readyUs = Number(process.hrtime.bigint() / 1000n);

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
  writeFileSync(path, JSON.stringify({ readyUs, stopUs, maps }));
}

let stopping = false;
let stopUs = 0;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  stopUs = Number(process.hrtime.bigint() / 1000n);
  void server.stop().finally(() => {
    const dir = process.env.HEARTH_BENCH_SOURCEMAPS_DIR;
    if (dir) dumpSourceMaps(join(dir, `sourcemaps-${process.pid}.json`));
    process.exit(0);
  });
});

say({ ready: true, port: server.port("starttls"), pid: process.pid });
