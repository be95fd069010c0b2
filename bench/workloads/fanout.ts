// Workload 5: a user with N mutual contacts, all online and available, sends initial presence.
import { setTimeout as sleep } from "node:timers/promises";
import { attr, closeAll, LoadClient, openSessions, type Target } from "../load-client.ts";
import { contactName, DOMAIN, FAN_USER, PASSWORD } from "../fixtures.ts";
import { median, type FanoutResult } from "../report.ts";
import type { ServerHandle } from "../server-handle.ts";

export interface FanoutOptions {
  contacts: number;
  runs: number;
  timeoutMs: number;
}

/** Resolves when `done()` turns true, checked after every stanza; rejects after `ms`. */
class Countdown {
  private resolve: (() => void) | undefined;
  check(done: boolean): void {
    if (done && this.resolve) {
      this.resolve();
      this.resolve = undefined;
    }
  }
  wait(ms: number, what: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fan-out: timed out: ${what()}`)), ms);
      this.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

export async function runFanout(target: Target, server: ServerHandle, opts: FanoutOptions): Promise<FanoutResult> {
  const n = opts.contacts;
  const fanPrefix = `${FAN_USER}@${DOMAIN}/`;
  let t0 = 0;
  let gotFan = 0;
  let gotContacts = 0;
  let toContacts = 0;
  let toUser = 0;
  let unavailable = 0;
  const cd = new Countdown();

  const contacts = await openSessions(
    target,
    Array.from({ length: n }, (_, i) => contactName(i)),
    {
      password: PASSWORD,
      concurrency: 50,
      presence: true,
      onStanza: (_c, s) => {
        if (!s.startsWith("<presence") || !attr(s, "from")?.startsWith(fanPrefix)) return;
        const type = attr(s, "type");
        if (type === "unavailable") unavailable++;
        else if (type === undefined && ++gotFan === n) toContacts = performance.now() - t0;
        cd.check(toContacts > 0 && toUser > 0);
      },
    },
  );
  const runs: FanoutResult["runs"] = [];
  try {
    for (let r = 0; r < opts.runs; r++) {
      const fan = await LoadClient.connect(target);
      fan.onStanza = (s) => {
        if (!s.startsWith("<presence") || attr(s, "type") !== undefined || attr(s, "from")?.startsWith(fanPrefix)) return;
        if (++gotContacts === n) toUser = performance.now() - t0;
        cd.check(toContacts > 0 && toUser > 0);
      };
      await fan.login(FAN_USER, PASSWORD);
      gotFan = gotContacts = toContacts = toUser = unavailable = 0;
      const done = cd.wait(opts.timeoutMs, () => `contacts got ${gotFan}/${n}, user got ${gotContacts}/${n}`);
      const cpu0 = server.cpuMs();
      t0 = performance.now();
      fan.send("<presence/>");
      try {
        await done;
      } finally {
        await fan.close();
      }
      runs.push({ toContactsMs: toContacts, toUserMs: toUser, serverCpuMs: server.cpuMs() - cpu0 });
      // Let the unavailable presence reach every contact before the next run.
      for (let i = 0; i < 100 && unavailable < n; i++) await sleep(50);
      await sleep(200);
    }
  } finally {
    await closeAll(contacts);
  }
  return {
    contacts: n,
    runs,
    toContactsMs: median(runs.map((x) => x.toContactsMs)),
    toUserMs: median(runs.map((x) => x.toUserMs)),
    allMs: median(runs.map((x) => Math.max(x.toContactsMs, x.toUserMs))),
    serverCpuMs: median(runs.map((x) => x.serverCpuMs)),
  };
}
