// Figures: percentiles, one line per workload as it ends, and the closing table against the peers and targets.

export interface Cpu {
  /** Share of one core, 0..1. */
  server: number;
  /** The part of `server` spent in the kernel (socket calls; on loopback also the delivery to the client). */
  serverKernel?: number;
  client: number;
  /** Every other process on the machine. */
  others: number;
}

export interface LoginResult {
  logins: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
  cpu: Cpu;
}

export interface IdleResult {
  baseKiB: number;
  steps: { sessions: number; rssKiB: number }[];
  /** ΔRSS/Δsessions between the last two steps. */
  kibPerSession: number;
  gc: boolean;
}

export interface MessagesResult {
  pairs: number;
  delivered: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
  cpu: Cpu;
}

export interface FanoutResult {
  contacts: number;
  /** serverCpuMs: the server's CPU time from the presence until the user's stream was closed (includes the close). */
  runs: { toContactsMs: number; toUserMs: number; serverCpuMs: number }[];
  toContactsMs: number;
  toUserMs: number;
  /** Median over runs of max(toContacts, toUser): when the whole exchange is over. */
  allMs: number;
  serverCpuMs: number;
}

export interface RegisterResult {
  accounts: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
  cpu: Cpu;
  /** 4b: invites nobody uses, in the store throughout the run. */
  pending?: number;
  /** 4b: the invites the run uses, one per registration, also in the store when it started. */
  pool?: number;
  /** When the figure is a median: every run's rate, in run order. */
  runs?: number[];
  /** 4b: the median rate of the open-registration runs that alternated with this one's runs. */
  openBeside?: number;
  /** 4b over 4, measured in interleaved slices (see registrations.ts), and each slice pair's ratio. */
  vsOpen?: number;
  sliceRatios?: number[];
}

export interface Results {
  login?: LoginResult;
  register?: RegisterResult;
  /** 4b, one run per number of pending tokens. */
  registerInvite?: RegisterResult[];
  idle?: IdleResult;
  messages?: MessagesResult;
  fanout?: FanoutResult;
}

/** Latency samples in ms, kept compact. */
export class Samples {
  private a = new Float64Array(1 << 14);
  n = 0;
  add(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  percentiles(...ps: number[]): number[] {
    const s = this.a.slice(0, this.n).sort();
    return ps.map((p) => (s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!));
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toString());
const pct = (n: number) => `${Math.round(n * 100)}%`;
const mib = (kib: number) => Math.round(kib / 1024).toString();

export function cpuText(c: Cpu): string {
  const noisy = c.others > 0.1 ? " -- the machine was busy, figure unreliable" : "";
  const kernel = c.serverKernel !== undefined ? ` (${pct(c.serverKernel)} in the kernel)` : "";
  return `CPU: server ${pct(c.server)} of a core${kernel}, load generator ${pct(c.client)}, other processes ${pct(c.others)}${noisy}`;
}

export function printLogin(r: LoginResult): void {
  console.log(
    `  logins/s: ${int(r.perSecond)} (${r.logins} in ${r.seconds.toFixed(1)} s), latency p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms; ` +
      `errors: ${r.errors}${r.firstError ? ` (first: ${r.firstError})` : ""}`,
  );
  console.log(`  ${cpuText(r.cpu)}; server CPU per login ${perOp(r.cpu.server * r.seconds, r.logins)}`);
}

/** 4b over 4: from the interleaved slices when they ran, else the ratio of the two figures. */
export function inviteVsOpen(g: RegisterResult, open: RegisterResult | undefined): number | undefined {
  if (g.vsOpen !== undefined) return g.vsOpen;
  const o = g.openBeside ?? open?.perSecond;
  return o === undefined ? undefined : g.perSecond / o;
}

/**
 * "As fast with many pending tokens as with the fewest", within 10 %. With slices beside both, the
 * comparison is of the invite path's share of the open path's speed, so minutes of machine drift
 * between the two steps do not decide it; without them, of the raw rates.
 */
export function isFlat(g: RegisterResult, first: RegisterResult): boolean {
  if (g.vsOpen !== undefined && first.vsOpen !== undefined) return g.vsOpen >= 0.9 * first.vsOpen;
  return g.perSecond >= 0.9 * first.perSecond;
}

/** Two standard errors of the mean of the slice pairs' ratios: how far the verdict could move on a rerun. */
export function twoStandardErrors(ratios: readonly number[]): number {
  const n = ratios.length;
  if (n < 2) return Number.NaN;
  const mean = ratios.reduce((a, b) => a + b, 0) / n;
  const variance = ratios.reduce((a, r) => a + (r - mean) ** 2, 0) / (n - 1);
  return 2 * Math.sqrt(variance / n);
}

/** The run with the median rate; errors are those of every run, so none go unreported. */
export function medianRun(runs: readonly RegisterResult[]): RegisterResult {
  const sorted = [...runs].sort((a, b) => a.perSecond - b.perSecond);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  return { ...median, errors, firstError: runs.find((r) => r.firstError !== undefined)?.firstError, runs: runs.map((r) => r.perSecond) };
}

export function printMedian(r: RegisterResult): void {
  if (r.runs && r.runs.length > 1) console.log(`  median: ${int(r.perSecond)}/s (runs: ${r.runs.map(int).join(", ")})`);
}

/** `label` (say "4b. invite: ") starts the first line; the CPU line is indented under it. */
export function printRegister(r: RegisterResult, label = ""): void {
  console.log(
    `  ${label}${r.pending !== undefined ? `${int(r.pending)} pending + ${int(r.pool ?? 0)} to use: ` : ""}accounts/s: ${int(r.perSecond)} (${r.accounts} in ${r.seconds.toFixed(1)} s), ` +
      `latency p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms; errors: ${r.errors}${r.firstError ? ` (first: ${r.firstError})` : ""}`,
  );
  console.log(`  ${" ".repeat(label.length)}${cpuText(r.cpu)}; server CPU per account ${perOp(r.cpu.server * r.seconds, r.accounts)}`);
}

/** Server CPU time per operation (steadier than a rate when the machine is shared) and the rate one core allows. */
function perOp(cpuSeconds: number, ops: number): string {
  if (ops === 0 || cpuSeconds <= 0) return "-";
  return `${Math.round((cpuSeconds / ops) * 1e6)} µs (one full core: ~${int(ops / cpuSeconds)}/s)`;
}

export function printIdle(r: IdleResult): void {
  const steps = r.steps.map((s) => `${int(s.sessions)}: ${mib(s.rssKiB)} MiB`).join(", ");
  console.log(`  RSS at 0: ${mib(r.baseKiB)} MiB, ${steps}${r.gc ? " (after a full GC)" : " (no GC available)"}`);
  console.log(`  KiB per idle session (last two steps): ${r.kibPerSession.toFixed(1)}`);
}

export function printMessages(r: MessagesResult): void {
  console.log(
    `  msg/s delivered: ${int(r.perSecond)} (${int(r.delivered)} in ${r.seconds.toFixed(1)} s), latency p50 ${ms(r.p50)} ms, ` +
      `p99 ${ms(r.p99)} ms; errors: ${r.errors}${r.firstError ? ` (first: ${r.firstError})` : ""}`,
  );
  console.log(`  ${cpuText(r.cpu)}; server CPU per message ${perOp(r.cpu.server * r.seconds, r.delivered)}`);
}

export function printFanout(r: FanoutResult): void {
  const runs = r.runs.map((x) => `${ms(x.toContactsMs)}/${ms(x.toUserMs)}/${ms(x.serverCpuMs)}`).join(", ");
  console.log(
    `  to all ${r.contacts} contacts: ${ms(r.toContactsMs)} ms; user has all ${r.contacts} of theirs: ${ms(r.toUserMs)} ms ` +
      `(medians); server CPU ${ms(r.serverCpuMs)} ms per run`,
  );
  console.log(`  runs (to contacts / to user / server CPU incl. logout, ms): ${runs}`);
}

type Row = [string, string, string, string, string, string];

/** The anchor a pending count is closest to, when it is within 20 % of it. */
function nearest(n: number, anchors: number[]): number {
  for (const a of anchors) if (Math.abs(n - a) <= a * 0.2) return a;
  return -1;
}

export function printTable(r: Results): void {
  const rows: Row[] = [["workload", "Hearth", "Prosody 0.12.3", "ejabberd 23.01", "target", "met"]];
  const yes = (b: boolean) => (b ? "yes" : "NO");
  if (r.login) {
    const l = r.login;
    rows.push([
      "1. logins/s (p50 / p99)",
      `${int(l.perSecond)}, ${ms(l.p50)} / ${ms(l.p99)} ms`,
      "340, 147 / 245 ms",
      "1,549, 31 / 68 ms",
      "≥ 1,500/s",
      yes(l.perSecond >= 1500 && l.errors === 0),
    ]);
  }
  if (r.register) {
    const g = r.register;
    rows.push([
      "4. open registrations/s (p50)",
      `${int(g.perSecond)}, ${ms(g.p50)} ms`,
      "379",
      "2,108",
      "≥ 500/s",
      yes(g.perSecond >= 500 && g.errors === 0),
    ]);
  }
  const prosody4b: Record<number, string> = { 300: "27, p50 ~700 ms", 1500: "3.9, p50 4.8 s" };
  const first4b = r.registerInvite?.[0];
  for (const g of r.registerInvite ?? []) {
    const pending = g.pending ?? 0;
    const vsOpen = inviteVsOpen(g, r.register);
    const flat = first4b && g !== first4b ? isFlat(g, first4b) : true;
    rows.push([
      `4b. invite registrations/s, ${int(pending)} pending`,
      `${int(g.perSecond)}, ${ms(g.p50)} ms${vsOpen !== undefined ? ` (${(100 * vsOpen).toFixed(1)} %)` : ""}`,
      prosody4b[nearest(pending, [300, 1500])] ?? "",
      "—",
      vsOpen !== undefined ? "≥ 90 % of 4., flat" : "flat",
      yes(g.errors === 0 && flat && (vsOpen === undefined || vsOpen >= 0.9)),
    ]);
  }
  if (r.idle) {
    const i = r.idle;
    rows.push(["2. KiB per idle session", i.kibPerSession.toFixed(1), "33.7", "50.0", "≤ 30", yes(i.kibPerSession <= 30)]);
    rows.push([
      `2. RSS at ${i.steps.map((s) => `${s.sessions / 1000}k`).join(" / ")}`,
      `${i.steps.map((s) => mib(s.rssKiB)).join(" / ")} MiB`,
      "77 / 211 / 377 MiB",
      "133 / 329 / 574 MiB",
      "",
      "",
    ]);
  }
  if (r.messages) {
    const m = r.messages;
    rows.push([
      "3. msg/s (p50 / p99)",
      `${int(m.perSecond)}, ${ms(m.p50)} / ${ms(m.p99)} ms`,
      "5,271, 185 / 406 ms",
      "30,714, 30 / 69 ms",
      "≥ 30,000/s, p99 < 100 ms",
      yes(m.perSecond >= 30_000 && m.p99 < 100 && m.errors === 0),
    ]);
  }
  if (r.fanout) {
    const f = r.fanout;
    rows.push([
      `5. fan-out to ${f.contacts} contacts`,
      `${ms(f.allMs)} ms (out ${ms(f.toContactsMs)}, in ${ms(f.toUserMs)})`,
      "42 ms",
      "26 ms",
      "< 30 ms",
      yes(f.allMs < 30),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: Row) => "| " + row.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ") + " |";
  console.log(line(rows[0]!));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const row of rows.slice(1)) console.log(line(row));
}
