// Workload 3: 100 pairs; each sender keeps 10 chat messages in flight to its receiver's full JID.
import { setTimeout as sleep } from "node:timers/promises";
import { attr, closeAll, openSessions, type LoadClient, type Target } from "../load-client.ts";
import { cpuMeter, type ServerHandle } from "../server-handle.ts";
import { PASSWORD, userName } from "../fixtures.ts";
import { Samples, type MessagesResult } from "../report.ts";

export interface MessagesOptions {
  pairs: number;
  inFlight: number;
  warmupSeconds: number;
  seconds: number;
}

const BODY = "Are we still on for lunch tomorrow? I can be there at 12:30 and bring the documents.";

export async function runMessages(target: Target, server: ServerHandle, opts: MessagesOptions): Promise<MessagesResult> {
  const samples = new Samples();
  let delivered = 0;
  let errors = 0;
  let firstError: string | undefined;
  let measuring = false;
  let sending = true;
  const senderOf = new Map<LoadClient, LoadClient>();
  const names = Array.from({ length: opts.pairs * 2 }, (_, i) => userName(i));

  const sendOne = (from: LoadClient, to: string): void => {
    from.send(`<message type='chat' to='${to}' id='${performance.now().toFixed(3)}'><body>${BODY}</body></message>`);
  };

  const clients = await openSessions(target, names, {
    password: PASSWORD,
    concurrency: 50,
    presence: true,
    onStanza: (c, s) => {
      if (!s.startsWith("<message")) return;
      const sender = senderOf.get(c);
      if (!sender || attr(s, "type") === "error") {
        errors++;
        firstError ??= s.slice(0, 300);
        return;
      }
      if (measuring) {
        delivered++;
        samples.add(performance.now() - Number(attr(s, "id")));
      }
      if (sending) sendOne(sender, c.jid);
    },
  });
  try {
    for (let p = 0; p < opts.pairs; p++) senderOf.set(clients[2 * p + 1]!, clients[2 * p]!);
    for (const [receiver, sender] of senderOf) for (let i = 0; i < opts.inFlight; i++) sendOne(sender, receiver.jid);
    await sleep(opts.warmupSeconds * 1000);
    const cpu = cpuMeter(server);
    const t0 = performance.now();
    measuring = true;
    await sleep(opts.seconds * 1000);
    measuring = false;
    const seconds = (performance.now() - t0) / 1000;
    const usage = cpu();
    sending = false;
    await sleep(500);
    const [p50, p99] = samples.percentiles(50, 99);
    return { pairs: opts.pairs, delivered, seconds, perSecond: delivered / seconds, p50: p50!, p99: p99!, errors, firstError, cpu: usage };
  } finally {
    await closeAll(clients);
  }
}
