import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseToml } from "smol-toml";
import { ConfigError, defaultConfig, loadConfig, parseConfig } from "../../src/core/config/index.ts";
import type { Config } from "../../src/core/config/index.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const tmp = mkdtempSync(join(tmpdir(), "hearth-config-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

let fileCount = 0;
function writeToml(text: string): string {
  const file = join(tmp, `config-${++fileCount}.toml`);
  writeFileSync(file, text);
  return file;
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    for (const issue of err.issues) assert.ok(err.message.includes(issue), "the message lists every issue");
    return err.issues;
  }
  assert.fail("expected the config to be rejected");
}

function withoutPaths(c: Config): unknown {
  const { configPath: _c, dataDir: _d, ...rest } = c;
  return { ...rest, storage: { ...rest.storage, path: undefined } };
}

describe("defaults", () => {
  test("defaultConfig()", () => {
    const c = defaultConfig();
    assert.deepEqual(coreSections(c), {
      dataDir: resolve("data"),
      logLevel: "info",
      storage: { driver: "sqlite", path: resolve("data", "hearth.sqlite") },
      tls: { policy: "required" },
      listeners: [
        { kind: "starttls", address: "0.0.0.0", port: 5222 },
        { kind: "directtls", address: "0.0.0.0", port: 5223 },
      ],
      hosts: [{ domain: "localhost" }],
      limits: {
        maxStanzaBytes: 262_144,
        maxDepth: 32,
        maxAttrs: 64,
        authTimeoutSeconds: 30,
        idleTimeoutSeconds: 900,
        maxConnectionsPerIp: 1000,
        authFailures: { max: 5, windowSeconds: 300 },
        offlineMaxPerUser: 1000,
      },
    });
  });

  test("loadConfig() without a path needs no file and gives the defaults", () => {
    assert.deepEqual(loadConfig(), defaultConfig());
  });

  test("each call returns a fresh object", () => {
    const a = defaultConfig();
    a.listeners[0]!.port = 1;
    a.hosts.push({ domain: "x.example" });
    assert.equal(defaultConfig().listeners[0]!.port, 5222);
    assert.equal(defaultConfig().hosts.length, 1);
  });

  test("an empty file gives the defaults, with paths relative to the file", () => {
    const file = writeToml("");
    const c = loadConfig(file);
    assert.equal(c.configPath, file);
    assert.equal(c.dataDir, join(tmp, "data"));
    assert.equal(c.storage.path, join(tmp, "data", "hearth.sqlite"));
    assert.deepEqual(withoutPaths(c), withoutPaths(defaultConfig()));
  });

  test("hearth.example.toml matches the defaults", () => {
    const file = join(repoRoot, "hearth.example.toml");
    const c = loadConfig(file);
    assert.equal(c.configPath, file);
    assert.equal(c.dataDir, join(repoRoot, "data"));
    assert.deepEqual(withoutPaths(c), withoutPaths(defaultConfig()));
  });

  test("hearth.example.toml writes out every key", () => {
    const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const keys = (v: unknown, prefix: string, out: Set<string>, rename: (k: string) => string) => {
      if (Array.isArray(v)) v.forEach((e) => keys(e, `${prefix}[]`, out, rename));
      else if (v !== null && typeof v === "object") {
        for (const [k, e] of Object.entries(v)) keys(e, `${prefix}${prefix ? "." : ""}${rename(k)}`, out, rename);
      } else out.add(prefix);
    };
    const expected = new Set<string>();
    keys(defaultConfig(), "", expected, snake);
    // Keys whose TOML name is not the snake_case of their TypeScript name.
    const tomlName: Record<string, string> = {
      "registration.throttle_period_seconds": "registration.throttle_period",
      "invites.expiry_seconds": "invites.expiry",
      "invites.reset_expiry_seconds": "invites.reset_expiry",
      "invites.max_user_ttl_seconds": "invites.max_user_ttl",
      "invites.purge_interval_seconds": "invites.purge_interval",
      "invites.token_failures.window_seconds": "invites.token_failures.window",
      "invites.bootstrap.ttl_seconds": "invites.bootstrap.ttl",
    };
    for (const [ts, toml] of Object.entries(tomlName)) if (expected.delete(ts)) expected.add(toml);
    const written = new Set<string>();
    keys(parseToml(readFileSync(join(repoRoot, "hearth.example.toml"), "utf8")), "", written, (k) => k);
    assert.deepEqual([...written].sort(), [...expected].sort());
  });
});

describe("a full valid file", () => {
  test("every key is read and converted to camelCase", () => {
    const file = writeToml(`
data_dir = "state"
log_level = "debug"

[storage]
driver = "sqlite"
path = "db/main.sqlite"

[tls]
policy = "optional"

[[listeners]]
kind = "starttls"
address = "127.0.0.1"
port = 15222

[[listeners]]
kind = "directtls"
address = "::1"
port = 15223

[[listeners]]
kind = "starttls"
address = "localhost"
port = 0

[[hosts]]
domain = "Example.ORG."
cert_path = "certs/example.crt"
key_path = "/etc/ssl/example.key"

[[hosts]]
domain = "chat.example.net"

[limits]
max_stanza_bytes = 65536
max_depth = 16
max_attrs = 32
auth_timeout_seconds = "1m"
idle_timeout_seconds = "1h30m"
max_connections_per_ip = 0
offline_max_per_user = 0

[limits.auth_failures]
max = 3
window_seconds = "2d"
`);
    assert.deepEqual(coreSections(loadConfig(file)), {
      configPath: file,
      dataDir: join(tmp, "state"),
      logLevel: "debug",
      storage: { driver: "sqlite", path: join(tmp, "state", "db", "main.sqlite") },
      tls: { policy: "optional" },
      listeners: [
        { kind: "starttls", address: "127.0.0.1", port: 15222 },
        { kind: "directtls", address: "::1", port: 15223 },
        { kind: "starttls", address: "localhost", port: 0 },
      ],
      hosts: [
        { domain: "example.org", certPath: join(tmp, "certs", "example.crt"), keyPath: "/etc/ssl/example.key" },
        { domain: "chat.example.net" },
      ],
      limits: {
        maxStanzaBytes: 65_536,
        maxDepth: 16,
        maxAttrs: 32,
        authTimeoutSeconds: 60,
        idleTimeoutSeconds: 5400,
        maxConnectionsPerIp: 0,
        authFailures: { max: 3, windowSeconds: 172_800 },
        offlineMaxPerUser: 0,
      },
    });
  });

  test("absolute paths and :memory: are kept", () => {
    const c = parseConfig({ data_dir: "/srv/hearth", storage: { path: ":memory:" } }, { baseDir: "/etc/hearth" });
    assert.equal(c.dataDir, "/srv/hearth");
    assert.equal(c.storage.path, ":memory:");
    const d = parseConfig({ storage: { path: "/var/db/h.sqlite" } }, { baseDir: "/etc/hearth" });
    assert.equal(d.dataDir, "/etc/hearth/data");
    assert.equal(d.storage.path, "/var/db/h.sqlite");
    assert.equal(d.configPath, undefined);
  });

  test("a section given partly keeps the other defaults", () => {
    const c = parseConfig({ limits: { max_depth: 8, auth_failures: { max: 10 } } }, { baseDir: "/" });
    assert.equal(c.limits.maxDepth, 8);
    assert.equal(c.limits.maxStanzaBytes, 262_144);
    assert.deepEqual(c.limits.authFailures, { max: 10, windowSeconds: 300 });
  });
});

describe("errors", () => {
  test("unknown key at the top level names the file and the key", () => {
    const file = writeToml(`log_level = "info"\nlog_levle = "debug"\n`);
    assert.deepEqual(issuesOf(() => loadConfig(file)), [`${file}: log_levle: unknown key`]);
  });

  test("unknown keys in nested tables and arrays of tables", () => {
    const file = writeToml(`
[limits.auth_failures]
maximum = 3

[[listeners]]
kind = "starttls"
address = "0.0.0.0"
port = 5222
tls = true

[tls]
policy = "required"
cipher = "x"
`);
    assert.deepEqual(issuesOf(() => loadConfig(file)).sort(), [
      `${file}: limits.auth_failures.maximum: unknown key`,
      `${file}: listeners[0].tls: unknown key`,
      `${file}: tls.cipher: unknown key`,
    ]);
  });

  test("wrong type", () => {
    const file = writeToml(`[limits]\nmax_stanza_bytes = "big"\n`);
    assert.deepEqual(issuesOf(() => loadConfig(file)), [`${file}: limits.max_stanza_bytes: expected a number, got string`]);
    assert.deepEqual(issuesOf(() => parseConfig({ tls: [] }, { baseDir: "/" })), ["tls: expected a table, got array"]);
    assert.deepEqual(issuesOf(() => parseConfig({ hosts: { domain: "a" } }, { baseDir: "/" })), [
      "hosts: expected an array, got table",
    ]);
    assert.deepEqual(issuesOf(() => parseConfig({ limits: { max_depth: 2.5 } }, { baseDir: "/" })), [
      "limits.max_depth: must be a whole number, got 2.5",
    ]);
    assert.deepEqual(issuesOf(() => parseConfig("x", { baseDir: "/" })), ["expected a table, got string"]);
  });

  test("out-of-range port", () => {
    const file = writeToml(`[[listeners]]\nkind = "starttls"\naddress = "0.0.0.0"\nport = 65536\n`);
    assert.deepEqual(issuesOf(() => loadConfig(file)), [`${file}: listeners[0].port: must be at most 65535`]);
    const negative = { listeners: [{ kind: "directtls", address: "::", port: -1 }] };
    assert.deepEqual(issuesOf(() => parseConfig(negative, { baseDir: "/" })), ["listeners[0].port: must be at least 0"]);
  });

  test("bad values", () => {
    const raw = {
      log_level: "verbose",
      storage: { driver: "postgres" },
      listeners: [{ kind: "websocket", address: "not an address", port: 80 }],
      limits: { max_stanza_bytes: 9999 },
    };
    assert.deepEqual(issuesOf(() => parseConfig(raw, { baseDir: "/" })), [
      'log_level: must be one of "trace", "debug", "info", "warn", "error", "fatal", "silent", got "verbose"',
      'storage.driver: must be "sqlite", got "postgres"',
      'listeners[0].kind: must be one of "starttls", "directtls", got "websocket"',
      "listeners[0].address: must be an IP address (such as 0.0.0.0 or ::) or a host name",
      "limits.max_stanza_bytes: must be at least 10000",
    ]);
  });

  test("required keys", () => {
    assert.deepEqual(issuesOf(() => parseConfig({ hosts: [{}], listeners: [{ kind: "starttls" }] }, { baseDir: "/" })), [
      "listeners[0].address: is required",
      "listeners[0].port: is required",
      "hosts[0].domain: is required",
    ]);
  });

  test("duplicate host domain, compared after lowercasing", () => {
    const file = writeToml(`[[hosts]]\ndomain = "example.org"\n\n[[hosts]]\ndomain = "EXAMPLE.org"\n`);
    assert.deepEqual(issuesOf(() => loadConfig(file)), [
      `${file}: hosts[1].domain: duplicate domain "example.org" (also hosts[0])`,
    ]);
  });

  test("hosts: at least one, valid domains, cert and key together", () => {
    assert.deepEqual(issuesOf(() => parseConfig({ hosts: [] }, { baseDir: "/" })), ["hosts: must have at least 1 entry"]);
    const raw = { hosts: [{ domain: "a b.example" }, { domain: "x..example" }, { domain: "c.example", cert_path: "c.crt" }] };
    assert.deepEqual(issuesOf(() => parseConfig(raw, { baseDir: "/" })), [
      'hosts[0].domain: "a b.example" is not a valid domain name',
      'hosts[1].domain: "x..example" has an empty label',
      "hosts[2].key_path: cert_path and key_path must be given together",
    ]);
  });

  test("two listeners on the same address and port", () => {
    const raw = {
      listeners: [
        { kind: "starttls", address: "::", port: 5222 },
        { kind: "directtls", address: "::", port: 5222 },
      ],
    };
    assert.deepEqual(issuesOf(() => parseConfig(raw, { baseDir: "/" })), [
      "listeners[1]: same address and port as listeners[0] ([::]:5222)",
    ]);
  });

  test("several errors are all listed, each line naming the file", () => {
    const file = writeToml(`
log_level = 3
extra = 1
[[listeners]]
kind = "starttls"
address = "0.0.0.0"
port = 70000
[limits]
max_attrs = 0
idle_timeout_seconds = "forever"
`);
    const issues = issuesOf(() => loadConfig(file));
    assert.deepEqual(issues.sort(), [
      `${file}: extra: unknown key`,
      `${file}: limits.idle_timeout_seconds: expected a duration such as "30s", "15m", "1h" or "2d", got "forever"`,
      `${file}: limits.max_attrs: must be at least 1`,
      `${file}: listeners[0].port: must be at most 65535`,
      `${file}: log_level: must be one of "trace", "debug", "info", "warn", "error", "fatal", "silent", got 3`,
    ]);
    try {
      loadConfig(file);
    } catch (err) {
      assert.match((err as Error).message, /^Invalid configuration \(5 problems\):\n/);
    }
  });

  test("TOML syntax error names the file, line and column", () => {
    const file = writeToml(`log_level = "info"\n[limits]\nmax_depth = = 3\n`);
    const issues = issuesOf(() => loadConfig(file));
    assert.equal(issues.length, 1);
    assert.match(issues[0]!, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:\\d+: invalid TOML: `));
    assert.throws(() => loadConfig(file), (err: Error) => err.message.includes("max_depth = = 3"));
  });

  test("a key defined twice is a TOML error", () => {
    const file = writeToml(`log_level = "info"\nlog_level = "debug"\n`);
    assert.match(issuesOf(() => loadConfig(file))[0]!, /:2:\d+: invalid TOML: /);
  });

  test("a missing file", () => {
    const file = join(tmp, "nope.toml");
    assert.deepEqual(issuesOf(() => loadConfig(file)), [`${file}: cannot read config file: file not found`]);
  });
});

describe("durations", () => {
  const limits = (l: Record<string, unknown>) => parseConfig({ limits: l }, { baseDir: "/" }).limits;

  test("numbers and duration strings", () => {
    assert.equal(limits({ auth_timeout_seconds: 45 }).authTimeoutSeconds, 45);
    assert.equal(limits({ auth_timeout_seconds: "45s" }).authTimeoutSeconds, 45);
    assert.equal(limits({ idle_timeout_seconds: "15m" }).idleTimeoutSeconds, 900);
    assert.equal(limits({ idle_timeout_seconds: "1h" }).idleTimeoutSeconds, 3600);
    assert.equal(limits({ auth_failures: { window_seconds: "2d" } }).authFailures.windowSeconds, 172_800);
  });

  test("bounds and bad strings", () => {
    assert.deepEqual(issuesOf(() => limits({ auth_timeout_seconds: "2d" })), ["limits.auth_timeout_seconds: must be at most 86400"]);
    assert.deepEqual(issuesOf(() => limits({ auth_timeout_seconds: 0 })), ["limits.auth_timeout_seconds: must be at least 1"]);
    assert.deepEqual(issuesOf(() => limits({ idle_timeout_seconds: "0.5s" })), [
      "limits.idle_timeout_seconds: must be a whole number, got 0.5",
    ]);
    assert.deepEqual(issuesOf(() => limits({ idle_timeout_seconds: true })), [
      "limits.idle_timeout_seconds: expected a number of seconds or a duration string, got boolean",
    ]);
    assert.deepEqual(issuesOf(() => limits({ auth_failures: { window_seconds: "5 fortnights" } })), [
      'limits.auth_failures.window_seconds: expected a duration such as "30s", "15m", "1h" or "2d", got "5 fortnights"',
    ]);
    assert.equal(parseConfig({ limits: { auth_failures: { window_seconds: "5 minutes" } } }, { baseDir: "/" }).limits.authFailures.windowSeconds, 300);
  });
});

/** The sections this file checks in full; later sections (http, registration, invites…) have their own tests. */
function coreSections(c: Config): Partial<Config> {
  const { configPath, dataDir, logLevel, storage, tls, listeners, hosts, limits } = c;
  return { ...(configPath === undefined ? {} : { configPath }), dataDir, logLevel, storage, tls, listeners, hosts, limits };
}

describe("[http]", () => {
  test("defaults", () => {
    assert.deepEqual(defaultConfig().http, {
      enabled: true,
      address: "0.0.0.0",
      port: 5280,
      https: true,
      httpsPort: 5281,
      publicUrl: "",
      trustedProxies: [],
      maxBodyBytes: 65_536,
      rateLimit: { max: 300, windowSeconds: 60 },
      siteName: "",
    });
  });

  test("a public URL, proxies and limits are read", () => {
    const c = parseConfig(
      { http: { public_url: "https://chat.example.org", trusted_proxies: ["10.0.0.0/8", "::1"], rate_limit: { max: 5, window_seconds: "2m" } } },
      { baseDir: "/" },
    );
    assert.equal(c.http.publicUrl, "https://chat.example.org");
    assert.deepEqual(c.http.trustedProxies, ["10.0.0.0/8", "::1"]);
    assert.deepEqual(c.http.rateLimit, { max: 5, windowSeconds: 120 });
  });

  test("bad values are named", () => {
    assert.deepEqual(
      issuesOf(() =>
        parseConfig({ http: { public_url: "javascript:alert(1)", trusted_proxies: ["10.0.0.0/33", "proxy"], port: 70000 } }, { baseDir: "/" }),
      ),
      [
        "http.port: must be at most 65535",
        "http.public_url: must be an http(s) URL without query, fragment or credentials, e.g. https://chat.example.org",
        "http.trusted_proxies[0]: must be an IP address or a CIDR range such as 10.0.0.0/8",
        "http.trusted_proxies[1]: must be an IP address or a CIDR range such as 10.0.0.0/8",
      ],
    );
  });
});
