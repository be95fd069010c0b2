import { test } from "node:test";
import assert from "node:assert/strict";
import { TokenThrottle, tokenLogHint } from "../../../src/modules/invites/token-throttle.ts";

test("blocks an address after max failures within the window, and lets it go after", () => {
  let now = 0;
  const t = new TokenThrottle({ max: 3, windowSeconds: 60, now: () => now });
  for (let i = 0; i < 3; i++) {
    assert.equal(t.isBlocked("10.0.0.1"), false);
    t.fail("10.0.0.1");
  }
  assert.equal(t.isBlocked("10.0.0.1"), true);
  assert.equal(t.isBlocked("10.0.0.2"), false);
  now = 60_001;
  assert.equal(t.isBlocked("10.0.0.1"), false);
});

test("max 0 turns it off; an unknown address is never blocked", () => {
  const off = new TokenThrottle({ max: 0, windowSeconds: 60 });
  for (let i = 0; i < 100; i++) off.fail("10.0.0.1");
  assert.equal(off.isBlocked("10.0.0.1"), false);
  const on = new TokenThrottle({ max: 1, windowSeconds: 60 });
  on.fail(undefined);
  assert.equal(on.isBlocked(undefined), false);
});

test("the log hint is 8 hex digits of the hash, not the token", () => {
  const token = "abcdefghijklmnopqrstuvwx";
  const hint = tokenLogHint(token);
  assert.match(hint, /^[0-9a-f]{8}$/);
  assert.ok(!token.includes(hint));
  assert.equal(tokenLogHint(undefined), "none");
});
