import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FailureThrottle } from "../../src/auth/throttle.ts";

function clocked(opts: { max: number; windowMs: number; maxKeys?: number }): { t: FailureThrottle; advance: (ms: number) => void } {
  let now = 1_000_000;
  return { t: new FailureThrottle({ ...opts, now: () => now }), advance: (ms) => void (now += ms) };
}

describe("FailureThrottle", () => {
  test("blocks at max failures inside the window", () => {
    const { t } = clocked({ max: 3, windowMs: 1000 });
    assert.equal(t.isBlocked("k"), false);
    t.fail("k");
    t.fail("k");
    assert.equal(t.isBlocked("k"), false);
    t.fail("k");
    assert.equal(t.isBlocked("k"), true);
  });

  test("the window slides: failures expire one by one", () => {
    const { t, advance } = clocked({ max: 2, windowMs: 1000 });
    t.fail("k");
    advance(600);
    t.fail("k");
    assert.equal(t.isBlocked("k"), true);
    advance(400); // first failure is now exactly windowMs old
    assert.equal(t.isBlocked("k"), false);
    t.fail("k");
    assert.equal(t.isBlocked("k"), true);
    advance(1000);
    assert.equal(t.isBlocked("k"), false);
  });

  test("failures spread wider than the window never block", () => {
    const { t, advance } = clocked({ max: 2, windowMs: 1000 });
    for (let i = 0; i < 10; i++) {
      t.fail("k");
      assert.equal(t.isBlocked("k"), false);
      advance(1001);
    }
  });

  test("succeed clears the key; keys are independent", () => {
    const { t } = clocked({ max: 1, windowMs: 1000 });
    t.fail("a");
    t.fail("b");
    assert.equal(t.isBlocked("a"), true);
    t.succeed("a");
    assert.equal(t.isBlocked("a"), false);
    assert.equal(t.isBlocked("b"), true);
    assert.equal(t.isBlocked("c"), false);
  });

  test("memory is bounded: the least recently failed key is forgotten", () => {
    const { t } = clocked({ max: 1, windowMs: 60_000, maxKeys: 2 });
    t.fail("a");
    t.fail("b");
    t.fail("a"); // a is now more recent than b
    t.fail("c");
    assert.equal(t.isBlocked("a"), true);
    assert.equal(t.isBlocked("b"), false);
    assert.equal(t.isBlocked("c"), true);
  });

  test("rejects nonsensical options", () => {
    assert.throws(() => new FailureThrottle({ max: 0, windowMs: 1000 }), RangeError);
    assert.throws(() => new FailureThrottle({ max: 1, windowMs: 0 }), RangeError);
  });

  test("uses the real clock by default", () => {
    const t = new FailureThrottle({ max: 1, windowMs: 60_000 });
    t.fail("k");
    assert.equal(t.isBlocked("k"), true);
  });
});
