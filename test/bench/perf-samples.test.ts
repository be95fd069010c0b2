// Reading `perf script` output and counting each sample for the load that ran when it was taken
// (bench/invite-profile.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { attribute, parsePerfScript, type Window } from "../../bench/perf-samples.ts";

const SCRIPT = [
  " 8485  1779.875680:           1d4aa32 sha256_multi_block_avx2 (/usr/bin/node)",
  " 8476  1779.876127:      7f6d5bf710c0 Builtins_StringIndexOf (/usr/bin/node)",
  " 8476  1779.876327:      7f6d5be4188c JS:*get file:///work/main/src/storage/stores/invites.ts:1:3544 (/tmp/perf-8476.map)",
  " 8476  1779.876527:  ffffffff8a1b2c3d _raw_spin_unlock_irqrestore+0x1d ([kernel.kallsyms])",
  " 8476  1779.876727:      7f6d5c0e1234 sqlite3VdbeExec (/work/main/node_modules/better-sqlite3/build/Release/better_sqlite3.node)",
  " 8476  1779.876927:      7f6d5c0e1234 [unknown] ([unknown])",
  "",
  "not a sample line",
].join("\n");

test("perf script lines become samples named by thread, time, function and library", () => {
  const s = parsePerfScript(SCRIPT);
  assert.deepEqual(
    s.map((x) => [x.tid, x.at, x.symbol, x.library]),
    [
      [8485, 1779.87568, "sha256_multi_block_avx2", "node"],
      [8476, 1779.876127, "Builtins_StringIndexOf", "node"],
      [8476, 1779.876327, "JS:*get file:///work/main/src/storage/stores/invites.ts:1:3544", "JIT"],
      [8476, 1779.876527, "_raw_spin_unlock_irqrestore", "kernel"],
      [8476, 1779.876727, "sqlite3VdbeExec", "better_sqlite3.node"],
      [8476, 1779.876927, "[unknown]", "[unknown]"],
    ],
  );
});

test("each sample counts for the window it fell in; those between windows count for none", () => {
  const windows: Window[] = [
    { kind: "invite", from: 20, to: 30, ops: 5 },
    { kind: "open", from: 10, to: 19, ops: 7 },
  ];
  const at = (t: number) => ({ tid: 1, at: t, symbol: "f", library: "node" });
  const got = attribute([at(5), at(10), at(15), at(19.5), at(20), at(30), at(31)], windows);
  assert.deepEqual(
    got.map((g) => [g.sample.at, g.window.kind]),
    [
      [10, "open"],
      [15, "open"],
      [20, "invite"],
      [30, "invite"],
    ],
  );
});
