import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDuration } from "../../src/core/duration.ts";

test("numbers are seconds", () => {
  assert.equal(parseDuration(0), 0);
  assert.equal(parseDuration(45), 45);
  assert.equal(parseDuration("45"), 45);
  assert.equal(parseDuration(" 45 "), 45);
});

test("each unit", () => {
  assert.equal(parseDuration("30s"), 30);
  assert.equal(parseDuration("15m"), 900);
  assert.equal(parseDuration("1h"), 3600);
  assert.equal(parseDuration("2d"), 172_800);
  assert.equal(parseDuration("1w"), 604_800);
});

test("combined units and fractions", () => {
  assert.equal(parseDuration("1h30m"), 5400);
  assert.equal(parseDuration("1d2h3m4s"), 86_400 + 7200 + 180 + 4);
  assert.equal(parseDuration("1.5h"), 5400);
});

test("anything else is refused with the input in the message", () => {
  for (const bad of ["", "abc", "3x", "1 h", "h", "-5s", "5s ago", "1M", "1h-30m", "1e3"]) {
    assert.throws(() => parseDuration(bad), { message: `Unable to parse duration: ${bad}` }, bad);
  }
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => parseDuration(bad), { message: `Unable to parse duration: ${bad}` });
  }
});

test("spelled-out periods, as Prosody writes invite_expiry", () => {
  assert.equal(parseDuration("2 days"), 172_800);
  assert.equal(parseDuration("1 week"), 604_800);
  assert.equal(parseDuration("12 hours"), 43_200);
  assert.equal(parseDuration("1 day 6 hours"), 108_000);
  assert.equal(parseDuration("30 Minutes"), 1_800);
  assert.throws(() => parseDuration("2 fortnights"), /Unable to parse duration: 2 fortnights/);
  assert.throws(() => parseDuration("days"), /Unable to parse duration/);
});
