// Figures: percentiles, one line per workload as it ends, and the closing table against the peers and targets.

export interface Cpu {
  /** Share of one core, 0..1. */
  server: number;
  client: number;
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
  runs: { toContactsMs: number; toUserMs: number }[];
  toContactsMs: number;
  toUserMs: number;
  /** Median over runs of max(toContacts, toUser): when the whole exchange is over. */
  allMs: number;
}

export interface Results {
  login?: LoginResult;
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
  return `CPU: server ${pct(c.server)} of a core, load generator ${pct(c.client)}`;
}

export function printLogin(r: LoginResult): void {
  console.log(
    `  logins/s: ${int(r.perSecond)} (${r.logins} in ${r.seconds.toFixed(1)} s), latency p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms; ` +
      `errors: ${r.errors}${r.firstError ? ` (first: ${r.firstError})` : ""}`,
  );
  console.log(`  ${cpuText(r.cpu)}`);
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
  console.log(`  ${cpuText(r.cpu)}`);
}

export function printFanout(r: FanoutResult): void {
  const runs = r.runs.map((x) => `${ms(x.toContactsMs)}/${ms(x.toUserMs)}`).join(", ");
  console.log(
    `  to all ${r.contacts} contacts: ${ms(r.toContactsMs)} ms; user has all ${r.contacts} of theirs: ${ms(r.toUserMs)} ms ` +
      `(medians; runs contacts/user ms: ${runs})`,
  );
}

type Row = [string, string, string, string, string, string];

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
