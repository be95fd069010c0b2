import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createHash } from "node:crypto";
import { BIN, HOST, OTHER_HOST, sandbox, type Sandbox } from "./helpers.ts";
import { readFileSync } from "node:fs";
import { RawClient } from "../helpers/raw-client.ts";

interface Running {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the index of the first line (from `from`) matching `re`. */
  waitForLine(re: RegExp, from?: number): Promise<number>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

function start(box: Sandbox): Running {
  const child = spawn(process.execPath, [BIN, "start", "--config", box.configPath], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let partial = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    const parts = (partial + d).split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters) w();
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = once(child, "exit") as Promise<[number | null, string | null]>;
  return {
    child,
    lines,
    waitForLine(re, from = 0) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no line matching ${re} in time; stdout:\n${lines.join("\n")}\nstderr:\n${stderr}`));
        }, 30_000);
        const check = () => {
          const i = lines.findIndex((l, n) => n >= from && re.test(l));
          if (i >= 0) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(i);
          }
        };
        waiters.add(check);
        void exited.then(([code]) => {
          if (waiters.has(check)) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`server exited (${code}) before ${re}; stdout:\n${lines.join("\n")}\nstderr:\n${stderr}`));
          }
        });
        check();
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const [code] = await exited;
      return code;
    },
  };
}

const banner = (host: string) => new RegExp(`^No administrator on ${host.replace(/\./g, "\\.")} yet\\. Open this invite to create the admin account:$`);

/** The invite URI printed on the line after the banner. */
async function inviteAfter(run: Running, bannerLine: number): Promise<{ uri: string; token: string }> {
  await run.waitForLine(/./, bannerLine + 1);
  const uri = run.lines[bannerLine + 1]!.trim();
  const m = /^xmpp:[^?]+\?register;preauth=([A-Za-z0-9_-]+)$/.exec(uri);
  assert.ok(m, `an invite URI after the banner, got ${uri}`);
  return { uri, token: m[1]! };
}

function logged(run: Running, msg: string): Record<string, unknown>[] {
  return run.lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === msg);
}

/** Registers `username` with the invite the way an app does: STARTTLS, XEP-0445 `<preauth/>`, XEP-0077. */
async function register(run: Running, host: string, token: string, username: string): Promise<void> {
  await run.waitForLine(/"msg":"listening"/);
  await run.waitForLine(new RegExp(`"host":"${host.replace(/\./g, "\\.")}".*"msg":"serving host"`));
  const port = logged(run, "listening")[0]!.port as number;
  const cert = logged(run, "serving host").find((e) => e.host === host)!.certificate as string;
  const c = await RawClient.connect({ port, host, ca: readFileSync(cert) });
  try {
    c.send(`<iq type='set' id='p1'><preauth xmlns='urn:xmpp:pars:0' token='${token}'/></iq>`);
    await c.receives("<iq type='result' id='p1'/>");
    c.send(`<iq type='set' id='r1'><query xmlns='jabber:iq:register'><username>${username}</username><password>a long enough password</password></query></iq>`);
    await c.receives("<iq type='result' id='r1'/>");
  } finally {
    await c.close();
  }
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

describe("hearth start: the first admin invite", () => {
  let box: Sandbox;
  const running: Running[] = [];
  before(() => {
    box = sandbox({ http: true });
  });
  after(async () => {
    for (const r of running) await r.stop();
    box.remove();
  });

  test("first start prints an admin invite per host without an admin; it is never logged; SIGTERM exits 0", async () => {
    const run = start(box);
    running.push(run);
    const first = await run.waitForLine(banner(HOST));
    const second = await run.waitForLine(banner(OTHER_HOST));
    const { uri, token } = await inviteAfter(run, first);
    assert.equal(uri, `xmpp:${HOST}?register;preauth=${token}`);
    const other = await inviteAfter(run, second);
    await run.waitForLine(/./, first + 2);
    const page = new RegExp(`^https://${HOST.replace(/\./g, "\\.")}:(\\d+)/invite/${token}/$`).exec(run.lines[first + 2]!.trim());
    assert.ok(page, `the landing page follows the URI, got ${run.lines[first + 2]}`);
    assert.notEqual(page[1], "0", "the page is at the port the server bound");

    const stored = await box.withStorage((s) => s.invites.get(HOST, sha256(token)));
    assert.ok(stored);
    assert.deepEqual(stored.roles, ["admin"]);
    assert.equal(stored.createdBy, "bootstrap");
    assert.equal(stored.type, "register");
    assert.ok(Math.abs(stored.expires - stored.createdAt - 86_400_000) < 1000, "valid for one day");

    await register(run, HOST, token, "boss");
    assert.equal(await run.stop(), 0);

    const logLines = run.lines.filter((l) => l.startsWith("{"));
    assert.ok(logLines.some((l) => l.includes('"msg":"invite created"')), "the logger writes JSON lines to stdout");
    for (const secret of [token, other.token]) {
      const shown = run.lines.filter((l) => l.includes(secret));
      assert.equal(shown.length, 2, "the token appears in the banner's URI and landing page");
      assert.ok(shown.every((l) => /^  (xmpp|https):/.test(l)));
      assert.ok(!logLines.some((l) => l.includes(secret)), "never in a log line");
    }
    await box.withStorage(async (s) => {
      assert.equal((await s.accounts.get(HOST, "boss"))?.role, "admin");
      assert.equal(await s.accounts.countWithRole(HOST, "admin"), 1);
      assert.equal(await s.accounts.countWithRole(OTHER_HOST, "admin"), 0);
    });
  });

  test("a second start prints nothing for a host with an admin and replaces the old invite of a host without", async () => {
    const oldOther = await box.withStorage((s) => s.invites.listLive(OTHER_HOST, Date.now(), { createdBy: "bootstrap" }));
    assert.equal(oldOther.length, 1);

    const run = start(box);
    running.push(run);
    const line = await run.waitForLine(banner(OTHER_HOST));
    const { token } = await inviteAfter(run, line);
    assert.ok(!run.lines.some((l) => banner(HOST).test(l)), "no invite for a host that has an admin");
    assert.equal(run.lines.filter((l) => l.startsWith("No administrator")).length, 1);
    assert.equal(await run.stop(), 0);

    await box.withStorage(async (s) => {
      const live = await s.invites.listLive(OTHER_HOST, Date.now(), { createdBy: "bootstrap" });
      assert.deepEqual(live.map((i) => i.tokenHash), [sha256(token)], "only the new bootstrap invite lives");
      assert.ok((await s.invites.get(OTHER_HOST, oldOther[0]!.tokenHash))?.revokedAt !== undefined, "the old one is revoked");
      assert.deepEqual(await s.invites.listLive(HOST, Date.now(), { createdBy: "bootstrap" }), [], "the used one is gone");
    });
  });
});
