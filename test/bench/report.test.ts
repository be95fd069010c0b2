// The bench's verdicts on workload 4b: its share of the open path, flatness across pending tokens, and the
// spread of the slice pairs printed beside them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inviteVsOpen, isFlat, twoStandardErrors, type RegisterResult } from "../../bench/report.ts";

function run(perSecond: number, over: Partial<RegisterResult> = {}): RegisterResult {
  return { accounts: perSecond * 10, seconds: 10, perSecond, p50: 20, p99: 40, errors: 0, cpu: { server: 1, client: 0, others: 0 }, ...over };
}

test("the invite path's share of open comes from the slices when they ran, else from the two rates", () => {
  assert.equal(inviteVsOpen(run(800, { vsOpen: 0.93, openBeside: 1000 }), run(1000)), 0.93);
  assert.equal(inviteVsOpen(run(800, { openBeside: 1000 }), run(500)), 0.8);
  assert.equal(inviteVsOpen(run(800), run(1000)), 0.8);
  assert.equal(inviteVsOpen(run(800), undefined), undefined);
});

test("flat means the share at a step is at least 90 % of the share at the first step", () => {
  const first = run(900, { vsOpen: 0.9 });
  assert.equal(isFlat(run(600, { vsOpen: 0.81 }), first), true);
  assert.equal(isFlat(run(950, { vsOpen: 0.8 }), first), false);
  // Without slices, the raw rates.
  assert.equal(isFlat(run(810), run(900)), true);
  assert.equal(isFlat(run(800), run(900)), false);
});

test("two standard errors of the pairs' mean ratio", () => {
  // Mean 0.9; squared deviations sum to 0.02, so the sample variance is 0.02 / 3, and with n = 4 two
  // standard errors are 2 × √(0.02 / 3) / √4 = √(0.02 / 3).
  assert.ok(Math.abs(twoStandardErrors([0.8, 0.9, 0.9, 1.0]) - Math.sqrt(0.02 / 3)) < 1e-12);
  assert.equal(twoStandardErrors([0.9, 0.9, 0.9]), 0);
  assert.ok(Number.isNaN(twoStandardErrors([0.9])));
});
