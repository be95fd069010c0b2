// Workloads 4 and 4b in one schedule. When both run, their runs alternate (open, invite, open, invite…) at
// every number of pending tokens, and each 4b figure is compared with the open runs taken beside it: a
// machine that drifts by 10 % over a few minutes (these do) then moves both sides alike, instead of
// deciding the "within 10 %" comparison by which workload happened to run first.
import { medianRun, printMedian, printRegister, type RegisterResult, type Results } from "./report.ts";
import type { ServerHandle } from "./server-handle.ts";
import type { Target } from "./load-client.ts";
import { insertInvites, revokeInvites, runRegister } from "./workloads/register.ts";

export interface RegistrationPlan {
  seconds: number;
  repeat: number;
  pendingSteps: number[];
  dataDir: string;
}

export async function runRegistrations(
  target: Target,
  server: ServerHandle,
  only: Set<string>,
  plan: RegistrationPlan,
  results: Results,
): Promise<void> {
  const { seconds, repeat, dataDir } = plan;
  const open = (prefix: string): Promise<RegisterResult> => runRegister(target, server, { seconds, concurrency: 20, prefix });

  if (!only.has("invites")) {
    console.log(`\n4. Registration: XEP-0077, a new connection per account, 20 concurrent, ${seconds} s; median of ${repeat} runs`);
    const rs: RegisterResult[] = [];
    for (let k = 0; k < repeat; k++) {
      rs.push(await open(`r${k}x`));
      printRegister(rs[k]!);
    }
    results.register = medianRun(rs);
    printMedian(results.register);
    return;
  }

  const withOpen = only.has("register");
  console.log(
    `\n${withOpen ? "4 and 4b" : "4b"}. Registration, a new connection per account, 20 concurrent, ${seconds} s a run; ` +
      `4b sends a <preauth/> token first; pending tokens ${plan.pendingSteps.join(", ")}; median of ${repeat} runs each` +
      (withOpen ? ", the two workloads' runs alternating" : ""),
  );
  results.registerInvite = [];
  let lastOpen = 1000;
  let idle = 0;
  for (const [i, pending] of plan.pendingSteps.entries()) {
    if (pending > idle) await insertInvites(dataDir, pending - idle);
    idle = pending;
    const opens: RegisterResult[] = [];
    const invites: RegisterResult[] = [];
    for (let k = 0; k < repeat; k++) {
      if (withOpen) {
        const o = await open(`r${i}x${k}x`);
        lastOpen = Math.max(1000, o.perSecond);
        printRegister(o, "4.  open:   ");
        opens.push(o);
      }
      // Enough tokens for a run at the open path's pace and then some; what is left is revoked after the
      // run, so the store holds exactly `pending` live invites besides the ones being used.
      const pool = Math.ceil(lastOpen * seconds * 1.5);
      const t0 = performance.now();
      const tokens = await insertInvites(dataDir, pool);
      if (k === 0) console.log(`  ${pending} pending; ${pool} to use written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const r = await runRegister(target, server, { seconds, concurrency: 20, prefix: `i${i}x${k}x`, tokens, pending });
      await revokeInvites(dataDir, tokens);
      printRegister(r, "4b. invite: ");
      invites.push(r);
    }
    const median = medianRun(invites);
    if (withOpen) {
      const openMedian = medianRun(opens);
      median.openBeside = openMedian.perSecond;
      if (i === 0) results.register = openMedian;
      console.log(`  median at ${pending} pending: open ${Math.round(openMedian.perSecond)}/s, invite ${Math.round(median.perSecond)}/s ` +
        `(${((100 * median.perSecond) / openMedian.perSecond).toFixed(1)} % of open; runs: ${openMedian.runs!.map(Math.round).join(", ")} / ${median.runs!.map(Math.round).join(", ")})`);
    } else printMedian(median);
    results.registerInvite.push(median);
  }
}
