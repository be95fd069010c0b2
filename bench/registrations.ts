// Workloads 4 and 4b in one schedule. At every number of pending tokens:
// - the figures: 10 s runs as perf-anchors.md defines them, open and invite alternating, the median of each;
// - the comparison: short slices, open and invite alternating, their rates summed per path. This machine's
//   speed wanders by ±10 % from one 10 s run to the next; slices of a second or two, interleaved, sample
//   both paths across the same minute, so the "within 10 %" verdict is not decided by which path ran
//   during a slow patch.
import { medianRun, printMedian, printRegister, twoStandardErrors, type RegisterResult, type Results } from "./report.ts";
import type { ServerHandle } from "./server-handle.ts";
import type { Target } from "./load-client.ts";
import { insertInvites, revokeInvites, runRegister } from "./workloads/register.ts";

export interface RegistrationPlan {
  seconds: number;
  repeat: number;
  pendingSteps: number[];
  dataDir: string;
  /** Slices of each path in the comparison, and their length. */
  slices: number;
  sliceSeconds: number;
}

const CONCURRENCY = 20;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Two standard errors of the pairs' mean, or why there is none. */
const spread = (ratios: readonly number[]) =>
  ratios.length < 2 ? "no spread from one pair" : `± ${(100 * twoStandardErrors(ratios)).toFixed(1)} points`;

interface Totals {
  accounts: number;
  seconds: number;
  /** The server's CPU seconds, all threads. */
  cpuSeconds: number;
}

function addRun(t: Totals, r: RegisterResult): void {
  t.accounts += r.accounts;
  t.seconds += r.seconds;
  t.cpuSeconds += r.cpu.server * r.seconds;
}

/** Each path's accounts, seconds and server CPU summed over its slices, and every pair's ratio. */
interface Comparison {
  open: Totals;
  invite: Totals;
  sliceRatios: number[];
}

/**
 * Server CPU per account on each path, and what an invite adds: the invite's own work in µs, which does not
 * shrink when the machine hashes faster (the share does).
 */
function cpuPerAccount(cs: readonly Comparison[]): string {
  const per = (pick: (c: Comparison) => Totals) =>
    (1e6 * cs.reduce((a, c) => a + pick(c).cpuSeconds, 0)) / cs.reduce((a, c) => a + pick(c).accounts, 0);
  const open = per((c) => c.open);
  const invite = per((c) => c.invite);
  return `server CPU per account: open ${Math.round(open)} µs, invite ${Math.round(invite)} µs (${invite >= open ? "+" : ""}${Math.round(invite - open)} µs)`;
}

/** The invite path's rate over the open path's, from the summed slices of one or more comparisons. */
function shareOfOpen(cs: readonly Comparison[]): number {
  const rate = (pick: (c: Comparison) => Totals) =>
    cs.reduce((a, c) => a + pick(c).accounts, 0) / cs.reduce((a, c) => a + pick(c).seconds, 0);
  return rate((c) => c.invite) / rate((c) => c.open);
}

export async function runRegistrations(
  target: Target,
  server: ServerHandle,
  only: Set<string>,
  plan: RegistrationPlan,
  results: Results,
): Promise<void> {
  const { seconds, repeat, dataDir } = plan;
  const open = (prefix: string, s = seconds): Promise<RegisterResult> =>
    runRegister(target, server, { seconds: s, concurrency: CONCURRENCY, prefix });
  /** Tokens for a run of `s` seconds at the open path's pace and then some. */
  const tokensFor = (s: number, pace: number): Promise<string[]> => insertInvites(dataDir, Math.ceil(Math.max(1000, pace) * s * 1.5));
  /** What a run did not use is revoked, so the store holds exactly `pending` live invites besides those in use. */
  const invite = async (prefix: string, tokens: string[], pending: number, s = seconds): Promise<RegisterResult> => {
    const r = await runRegister(target, server, { seconds: s, concurrency: CONCURRENCY, prefix, tokens, pending });
    await revokeInvites(dataDir, tokens);
    return r;
  };

  if (!only.has("invites")) {
    console.log(`\n4. Registration: XEP-0077, a new connection per account, ${CONCURRENCY} concurrent, ${seconds} s; median of ${repeat} runs`);
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
    `\n${withOpen ? "4 and 4b" : "4b"}. Registration, a new connection per account, ${CONCURRENCY} concurrent, ${seconds} s a run; ` +
      `4b sends a <preauth/> token first; pending tokens ${plan.pendingSteps.join(", ")}; median of ${repeat} runs each` +
      (withOpen ? `, the two workloads' runs alternating; then ${plan.slices} slices of ${plan.sliceSeconds} s of each, alternating, to compare them` : ""),
  );
  results.registerInvite = [];
  let pace = 1000;
  let idle = 0;
  const comparisons: Comparison[] = [];
  for (const [i, pending] of plan.pendingSteps.entries()) {
    if (pending > idle) await insertInvites(dataDir, pending - idle);
    idle = pending;
    const opens: RegisterResult[] = [];
    const invites: RegisterResult[] = [];
    for (let k = 0; k < repeat; k++) {
      if (withOpen) {
        const o = await open(`r${i}x${k}x`);
        pace = o.perSecond;
        printRegister(o, "4.  open:   ");
        opens.push(o);
      }
      const t0 = performance.now();
      const tokens = await tokensFor(seconds, pace);
      if (k === 0) console.log(`  ${pending} pending; ${tokens.length} to use written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const r = await invite(`i${i}x${k}x`, tokens, pending);
      printRegister(r, "4b. invite: ");
      invites.push(r);
    }
    const median = medianRun(invites);
    if (withOpen) {
      const openMedian = medianRun(opens);
      if (i === 0) results.register = openMedian;
      median.openBeside = openMedian.perSecond;
      const c = await compareInSlices(i, pending);
      const share = shareOfOpen([c]);
      median.vsOpen = share;
      median.sliceRatios = c.sliceRatios;
      console.log(
        `  median at ${pending} pending: open ${Math.round(openMedian.perSecond)}/s, invite ${Math.round(median.perSecond)}/s ` +
          `(runs: ${openMedian.runs!.map(Math.round).join(", ")} / ${median.runs!.map(Math.round).join(", ")})\n` +
          `  slices: invite at ${pct(share)} of open, ${spread(c.sliceRatios)} ` +
          `(each pair: ${c.sliceRatios.map((x) => Math.round(100 * x)).join(", ")} %); ${cpuPerAccount([c])}`,
      );
      comparisons.push(c);
    } else printMedian(median);
    results.registerInvite.push(median);
  }
  if (comparisons.length > 1) {
    const pairs = comparisons.flatMap((c) => c.sliceRatios);
    console.log(
      `  all steps' slices together: invite at ${pct(shareOfOpen(comparisons))} of open, ${spread(pairs)} (${pairs.length} pairs); ` +
        cpuPerAccount(comparisons),
    );
  }

  /** Both paths in alternating slices. */
  async function compareInSlices(step: number, pending: number): Promise<Comparison> {
    const { slices, sliceSeconds } = plan;
    const openTotals: Totals = { accounts: 0, seconds: 0, cpuSeconds: 0 };
    const inviteTotals: Totals = { accounts: 0, seconds: 0, cpuSeconds: 0 };
    const sliceRatios: number[] = [];
    for (let k = 0; k < slices; k++) {
      const o = await open(`s${step}x${k}o`, sliceSeconds);
      const v = await invite(`s${step}x${k}i`, await tokensFor(sliceSeconds, pace), pending, sliceSeconds);
      for (const r of [o, v]) if (r.errors > 0) throw new Error(`registration slice failed: ${r.firstError}`);
      addRun(openTotals, o);
      addRun(inviteTotals, v);
      sliceRatios.push(v.perSecond / o.perSecond);
    }
    return { open: openTotals, invite: inviteTotals, sliceRatios };
  }
}
