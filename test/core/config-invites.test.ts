// [registration] and [invites]: defaults, TOML names versus TypeScript names, and refused values.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, defaultConfig, parseConfig } from "../../src/core/config/index.ts";

function issues(raw: unknown): string[] {
  try {
    parseConfig(raw, { baseDir: "/" });
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  assert.fail("expected the config to be refused");
}

describe("[registration]", () => {
  test("defaults", () => {
    assert.deepEqual(defaultConfig().registration, {
      allowRegistration: false,
      inviteOnly: true,
      minPasswordLength: 8,
      passwordExcludeUsername: true,
      throttleMax: 0,
      throttlePeriodSeconds: 60,
      allowlist: ["127.0.0.1", "::1"],
      blocklist: [],
      allowlistOnly: false,
      invitesBypassLimits: false,
    });
  });

  test("values are read; throttle_period becomes throttlePeriodSeconds", () => {
    const c = parseConfig(
      { registration: { throttle_max: 3, throttle_period: "1h", blocklist: ["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"], allowlist_only: true } },
      { baseDir: "/" },
    );
    assert.equal(c.registration.throttleMax, 3);
    assert.equal(c.registration.throttlePeriodSeconds, 3600);
    assert.deepEqual(c.registration.blocklist, ["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"]);
    assert.equal(c.registration.allowlistOnly, true);
  });

  test("bad addresses, lengths and unknown keys are named", () => {
    assert.deepEqual(issues({ registration: { blocklist: ["10.0.0.0/33", "host.example", "::1/129", "1.2.3.4/x"], min_password_length: 0, throttle_period_seconds: 5 } }), [
      "registration.min_password_length: must be at least 1",
      "registration.blocklist[0]: must be an IP address or a CIDR range such as 10.0.0.0/8",
      "registration.blocklist[1]: must be an IP address or a CIDR range such as 10.0.0.0/8",
      "registration.blocklist[2]: must be an IP address or a CIDR range such as 10.0.0.0/8",
      "registration.blocklist[3]: must be an IP address or a CIDR range such as 10.0.0.0/8",
      "registration.throttle_period_seconds: unknown key",
    ]);
  });
});

describe("[invites]", () => {
  test("defaults", () => {
    assert.deepEqual(defaultConfig().invites, {
      expirySeconds: 604_800,
      resetExpirySeconds: 86_400,
      allowUserInvites: false,
      allowContactInvites: true,
      maxLivePerUser: 20,
      maxUserTtlSeconds: 604_800,
      preauthErrorCondition: "forbidden",
      preauthFailuresPerStream: 5,
      tokenFailures: { max: 10, windowSeconds: 600 },
      tombstoneDays: 30,
      purgeIntervalSeconds: 3600,
      pageUrl: "",
      pageSupports: ["account", "contact", "account-and-contact", "password-reset"],
      extraRoles: [],
      bootstrap: { secret: "", index: 0, ttlSeconds: 2_419_200 },
    });
  });

  test("durations as strings or seconds; token_failures.window becomes windowSeconds", () => {
    const c = parseConfig(
      {
        invites: {
          expiry: "2d",
          reset_expiry: 7200,
          max_user_ttl: "1d12h",
          purge_interval: "15m",
          token_failures: { max: 3, window: "1h" },
          page_url: "https://{host}/invite/{token}/",
          preauth_error_condition: "item-not-found",
          extra_roles: ["x:extra"],
        },
      },
      { baseDir: "/" },
    );
    assert.equal(c.invites.expirySeconds, 172_800);
    assert.equal(c.invites.resetExpirySeconds, 7200);
    assert.equal(c.invites.maxUserTtlSeconds, 129_600);
    assert.equal(c.invites.purgeIntervalSeconds, 900);
    assert.deepEqual(c.invites.tokenFailures, { max: 3, windowSeconds: 3600 });
    assert.equal(c.invites.pageUrl, "https://{host}/invite/{token}/");
    assert.equal(c.invites.preauthErrorCondition, "item-not-found");
    assert.deepEqual(c.invites.extraRoles, ["x:extra"]);
  });

  test("bad values are named", () => {
    const got = issues({
      invites: { expiry: "soon", page_url: "javascript:alert(1)", preauth_error_condition: "gone", purge_interval: "2d", extra_roles: ["has space"] },
    });
    assert.deepEqual(got, [
      'invites.expiry: expected a duration such as "30s", "15m", "1h" or "2d", got "soon"',
      "invites.preauth_error_condition: must be one of \"forbidden\", \"item-not-found\", got \"gone\"",
      "invites.purge_interval: must be at most 86400",
      'invites.page_url: must be empty or an absolute http(s) URL template, e.g. "https://{host}/invite/{token}/"',
      "invites.extra_roles[0]: must be 1 to 64 printable ASCII characters without spaces",
    ]);
  });
});

describe("[invites.bootstrap]", () => {
  test("values are read; ttl becomes ttlSeconds", () => {
    const c = parseConfig({ invites: { bootstrap: { secret: "0123456789abcdef", index: 3, ttl: "2d" } } }, { baseDir: "/" });
    assert.deepEqual(c.invites.bootstrap, { secret: "0123456789abcdef", index: 3, ttlSeconds: 172_800 });
  });

  test("a short secret, a negative or fractional index and unknown keys are named; the secret is not echoed", () => {
    const got = issues({ invites: { bootstrap: { secret: "fifteen-chars!!", index: -1, ttl: 0 } } });
    assert.deepEqual(got, [
      "invites.bootstrap.secret: must be empty (off) or at least 16 characters",
      "invites.bootstrap.index: must be at least 0",
      "invites.bootstrap.ttl: must be at least 1",
    ]);
    assert.ok(!got.some((i) => i.includes("fifteen-chars")));
    assert.deepEqual(issues({ invites: { bootstrap: { index: 1.5, path: "/x" } } }), [
      "invites.bootstrap.index: must be a whole number, got 1.5",
      "invites.bootstrap.path: unknown key",
    ]);
  });
});

test("A10: invite_expiry as a period string and as seconds give the same two days", () => {
  const spelled = parseConfig({ invites: { expiry: "2 days" } }, { baseDir: "/" });
  const secs = parseConfig({ invites: { expiry: 172800 } }, { baseDir: "/" });
  assert.equal(spelled.invites.expirySeconds, 172_800);
  assert.equal(secs.invites.expirySeconds, 172_800);
});
