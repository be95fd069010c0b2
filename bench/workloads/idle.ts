// Workload 2: idle logged-in sessions (with initial presence), opened 50 at a time; the server's RSS per step.
import { setTimeout as sleep } from "node:timers/promises";
import { closeAll, openSessions, type LoadClient, type Target } from "../load-client.ts";
import type { ServerHandle } from "../server-handle.ts";
import { PASSWORD, userName } from "../fixtures.ts";
import type { IdleResult } from "../report.ts";

export interface IdleOptions {
  /** Cumulative session counts, e.g. [1000, 5000, 10000]. */
  steps: number[];
  concurrency: number;
  settleMs: number;
}

async function settledRss(server: ServerHandle, settleMs: number): Promise<{ kib: number; gc: boolean }> {
  await sleep(settleMs);
  const gc = await server.gc();
  await sleep(500);
  return { kib: server.rssKiB(), gc };
}

export async function runIdle(target: Target, server: ServerHandle, opts: IdleOptions): Promise<IdleResult> {
  const clients: LoadClient[] = [];
  try {
    const base = await settledRss(server, opts.settleMs);
    const steps: IdleResult["steps"] = [];
    let gc = base.gc;
    for (const total of opts.steps) {
      const names = Array.from({ length: total - clients.length }, (_, i) => userName(clients.length + i));
      const t0 = performance.now();
      clients.push(...(await openSessions(target, names, { password: PASSWORD, concurrency: opts.concurrency, presence: true, resource: "idle" })));
      const took = (performance.now() - t0) / 1000;
      const rss = await settledRss(server, opts.settleMs);
      gc &&= rss.gc;
      steps.push({ sessions: total, rssKiB: rss.kib });
      console.log(`  ${total} sessions (opened ${names.length} in ${took.toFixed(1)} s): RSS ${(rss.kib / 1024).toFixed(1)} MiB`);
    }
    const a = steps.at(-2) ?? { sessions: 0, rssKiB: base.kib };
    const b = steps.at(-1)!;
    return { baseKiB: base.kib, steps, kibPerSession: (b.rssKiB - a.rssKiB) / (b.sessions - a.sessions), gc };
  } finally {
    await closeAll(clients);
  }
}
