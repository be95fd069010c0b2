// Workload 1: closed-loop logins (connect → stream → SCRAM-SHA-1 → restart → bind → presence → ping reply → close).
import { LoadClient, type Target } from "../load-client.ts";
import { cpuMeter, type ServerHandle } from "../server-handle.ts";
import { PASSWORD, userName } from "../fixtures.ts";
import { Samples, type LoginResult } from "../report.ts";

export interface LoginOptions {
  seconds: number;
  concurrency: number;
}

export async function runLogin(target: Target, server: ServerHandle, opts: LoginOptions): Promise<LoginResult> {
  const samples = new Samples();
  const closing = new Set<Promise<void>>();
  let errors = 0;
  let firstError: string | undefined;
  const cpu = cpuMeter(server);
  const start = performance.now();
  const deadline = start + opts.seconds * 1000;

  // Each worker logs in as its own account; the server picks a fresh resource every time.
  const worker = async (w: number): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      let c: LoadClient | undefined;
      try {
        c = await LoadClient.connect(target);
        await c.login(userName(w), PASSWORD, { presence: true });
        const t1 = performance.now();
        if (t1 <= deadline) samples.add(t1 - t0);
        const p = c.close();
        closing.add(p);
        void p.then(() => closing.delete(p));
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
        c?.destroy();
        if (errors > 100) break;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
  const usage = cpu();
  await Promise.all(closing);
  const [p50, p99] = samples.percentiles(50, 99);
  return {
    logins: samples.n,
    seconds: opts.seconds,
    perSecond: samples.n / opts.seconds,
    p50: p50!,
    p99: p99!,
    errors,
    firstError,
    cpu: usage,
  };
}
