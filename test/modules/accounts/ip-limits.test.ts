// Registration limits per IP (invites.md §15.2): lists with CIDR for IPv4 and IPv6, allow-list-only, token-bucket throttle.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { defaultConfig, type RegistrationConfig } from "../../../src/core/config/index.ts";
import type { UserRegistering } from "../../../src/core/events.ts";
import {
  BLOCKLISTED,
  IpSet,
  NOT_ALLOWLISTED,
  RegistrationThrottle,
  THROTTLED,
  normaliseIp,
  registrationLimits,
} from "../../../src/modules/accounts/ip-limits.ts";

describe("IpSet", () => {
  test("addresses and CIDR ranges, IPv4 and IPv6, IPv4-mapped addresses as IPv4", () => {
    const set = new IpSet(["192.0.2.7", "10.0.0.0/8", "2001:db8::/32", "::1"]);
    assert.equal(set.has("192.0.2.7"), true);
    assert.equal(set.has("192.0.2.8"), false);
    assert.equal(set.has("10.255.1.2"), true);
    assert.equal(set.has("11.0.0.1"), false);
    assert.equal(set.has("::ffff:10.1.2.3"), true);
    assert.equal(set.has("2001:db8:1::5"), true);
    assert.equal(set.has("2001:db9::5"), false);
    assert.equal(set.has("::1"), true);
    assert.equal(set.has("not an ip"), false);
    assert.equal(normaliseIp("::FFFF:192.0.2.1"), "192.0.2.1");
    assert.throws(() => new IpSet(["nope"]));
  });

  test("answers stay the same when asked again, for more addresses than it remembers", () => {
    const set = new IpSet(["10.0.0.0/24"]);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5000; i++) {
        const ip = `10.0.${i % 2}.${i % 256}`;
        assert.equal(set.has(ip), i % 2 === 0, `${ip} in round ${round}`);
      }
    }
    assert.equal(new IpSet([]).has("10.0.0.1"), false);
  });
});

describe("RegistrationThrottle", () => {
  test("a bucket of max registrations per IP that refills over the period", () => {
    let now = 0;
    const t = new RegistrationThrottle({ max: 2, periodMs: 60_000, now: () => now });
    assert.equal(t.take("192.0.2.1"), true);
    assert.equal(t.take("192.0.2.1"), true);
    assert.equal(t.take("192.0.2.1"), false);
    assert.equal(t.take("::ffff:192.0.2.1"), false, "the same client over IPv6-mapped");
    assert.equal(t.take("192.0.2.2"), true, "other addresses have their own bucket");
    now += 30_000;
    assert.equal(t.take("192.0.2.1"), true);
    assert.equal(t.take("192.0.2.1"), false);
  });

  test("remembers a bounded number of addresses, forgetting the least recently seen", () => {
    const t = new RegistrationThrottle({ max: 1, periodMs: 60_000, maxKeys: 2, now: () => 0 });
    assert.equal(t.take("a"), true);
    assert.equal(t.take("b"), true);
    assert.equal(t.take("a"), false);
    assert.equal(t.take("c"), true);
    assert.equal(t.size, 2);
    assert.equal(t.take("a"), false, "a was seen after b, so b went");
    assert.equal(t.take("b"), true, "b was forgotten");
  });
});

describe("registrationLimits", () => {
  const event = (ip: string | undefined, extra: Partial<UserRegistering> = {}): UserRegistering => ({
    host: "example.com",
    username: "juliet",
    ip,
    via: "ibr",
    invite: undefined,
    exists: false,
    veto: undefined,
    ...extra,
  });
  const invited = { inviteId: "0123456789abcdef", invitedBy: "cli", at: 1 };
  const invite = { id: "0123456789abcdef", boundUsername: undefined, resetUsername: undefined, inviter: undefined, invited };
  const cfg = (c: Partial<RegistrationConfig>): RegistrationConfig => ({ ...defaultConfig().registration, ...c });

  test("block list (CIDR, IPv6): auth/forbidden", () => {
    const limits = registrationLimits(cfg({ blocklist: ["203.0.113.0/24", "2001:db8::/32"] }));
    for (const ip of ["203.0.113.9", "2001:db8::42"]) {
      const e = event(ip);
      assert.equal(limits.lists(e), true);
      assert.equal(e.veto?.type, "auth");
      assert.equal(e.veto?.condition, "forbidden");
      assert.equal(e.veto?.text, BLOCKLISTED);
    }
    const e = event("198.51.100.1");
    assert.equal(limits.lists(e), false);
    assert.equal(e.veto, undefined);
  });

  test("allow-list only", () => {
    const limits = registrationLimits(cfg({ allowlistOnly: true, allowlist: ["198.51.100.0/24"] }));
    const out = event("203.0.113.9");
    limits.lists(out);
    assert.equal(out.veto?.text, NOT_ALLOWLISTED);
    assert.equal(out.veto?.condition, "forbidden");
    const inside = event("198.51.100.20");
    limits.lists(inside);
    assert.equal(inside.veto, undefined);
  });

  test("throttle: wait/policy-violation; allowlisted addresses exempt; off at 0", () => {
    const limits = registrationLimits(cfg({ throttleMax: 1, throttlePeriodSeconds: 60 }));
    assert.equal(limits.throttle(event("203.0.113.9")), false);
    const second = event("203.0.113.9");
    assert.equal(limits.throttle(second), true);
    assert.equal(second.veto?.type, "wait");
    assert.equal(second.veto?.condition, "policy-violation");
    assert.equal(second.veto?.text, THROTTLED);
    for (let i = 0; i < 5; i++) assert.equal(limits.throttle(event("127.0.0.1")), false);
    // A taken name is refused as a conflict later; it does not use up the address's registrations.
    const fresh = registrationLimits(cfg({ throttleMax: 1, throttlePeriodSeconds: 60 }));
    assert.equal(fresh.throttle(event("203.0.113.10", { exists: true })), false);
    assert.equal(fresh.throttle(event("203.0.113.10")), false);
    assert.equal(fresh.throttle(event("203.0.113.10")), true);
    const off = registrationLimits(cfg({ throttleMax: 0 }));
    for (let i = 0; i < 5; i++) assert.equal(off.throttle(event("203.0.113.9")), false);
  });

  test("invites bypass the limits only when configured; an unknown IP skips them; an earlier veto is kept", () => {
    const strict = registrationLimits(cfg({ blocklist: ["203.0.113.9"] }));
    const withInvite = event("203.0.113.9", { invite });
    strict.lists(withInvite);
    assert.equal(withInvite.veto?.text, BLOCKLISTED);
    const bypass = registrationLimits(cfg({ blocklist: ["203.0.113.9"], invitesBypassLimits: true }));
    const e = event("203.0.113.9", { invite });
    bypass.lists(e);
    assert.equal(e.veto, undefined);
    const noInvite = event("203.0.113.9");
    bypass.lists(noInvite);
    assert.equal(noInvite.veto?.text, BLOCKLISTED);
    const unknown = event(undefined, { via: "cli" });
    assert.equal(strict.lists(unknown), false);
    assert.equal(unknown.veto, undefined);
  });
});
