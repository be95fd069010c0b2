import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { checkCredential } from "../../src/modules/invites-api/keys.ts";
import { HOST, OTHER_HOST, sandbox, type Sandbox } from "./helpers.ts";

const DAY = 86_400_000;
const CREDENTIAL = /^([A-Za-z0-9_][A-Za-z0-9_-]{11})\.([A-Za-z0-9_-]{36})$/;

function credentialOf(stdout: string): { credential: string; id: string; secret: string } {
  const lines = stdout.trimEnd().split("\n");
  assert.equal(lines.length, 1, stdout);
  const m = CREDENTIAL.exec(lines[0]!);
  assert.ok(m, `not ID.SECRET: ${lines[0]}`);
  return { credential: m[0], id: m[1]!, secret: m[2]! };
}

describe("hearth api-key", () => {
  let box: Sandbox;
  before(() => {
    box = sandbox();
  });
  after(() => box.remove());

  test("list with no keys says so", async () => {
    const r = await box.run(["api-key", "list"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "no API keys");
  });

  test("create prints ID.SECRET once on stdout and a summary on stderr; only the hash is stored", async () => {
    const before = Date.now();
    const r = await box.run(["api-key", "create", "--name", "portal", "--host", HOST, "--kind", "account", "--kind", "reset", "--expires", "30d"]);
    assert.equal(r.code, 0, r.stderr);
    const { credential, id, secret } = credentialOf(r.stdout);
    assert.ok(!r.stderr.includes(secret), "the summary does not repeat the secret");
    assert.match(r.stderr, new RegExp(`^API key ${id} "portal": hosts ${HOST}; kinds account,reset; expires \\d{4}-`));
    const stored = await box.withStorage((s) => s.apiKeys.get(id));
    assert.ok(stored);
    assert.equal(stored.secretHash, createHash("sha256").update(secret).digest("hex"));
    assert.equal(stored.name, "portal");
    assert.deepEqual(stored.hosts, [HOST]);
    assert.deepEqual(stored.kinds, ["account", "reset"]);
    assert.ok(Math.abs(stored.expires! - (before + 30 * DAY)) < 60_000);
    assert.equal(stored.revokedAt, undefined);
    const check = await box.withStorage((s) => checkCredential(s.apiKeys, credential, Date.now()));
    assert.equal(check.ok, true, "the printed key is the stored one");
  });

  test("defaults: every host, every kind, no expiry", async () => {
    const r = await box.run(["api-key", "create"]);
    assert.equal(r.code, 0, r.stderr);
    const { id } = credentialOf(r.stdout);
    const stored = await box.withStorage((s) => s.apiKeys.get(id));
    assert.equal(stored?.hosts, undefined);
    assert.deepEqual(stored?.kinds, ["account", "contact", "reset"]);
    assert.equal(stored?.expires, undefined);
    assert.equal(stored?.name, undefined);
    assert.match(r.stderr, /hosts all; kinds account,contact,reset; expires never/);
  });

  test("bad options are refused without making a key", async () => {
    const count = () => box.withStorage(async (s) => (await s.apiKeys.list()).length);
    const n = await count();
    const cases: [string[], RegExp][] = [
      [["--kind", "group"], /--kind: must be one of account, contact, reset, not 'group'/],
      [["--host", "nowhere.example"], /nowhere\.example is not a host of this server/],
      [["--expires", "banana"], /--expires: Unable to parse duration: banana/],
      [["--expires", "0"], /--expires: must be at least one second/],
    ];
    for (const [args, message] of cases) {
      const r = await box.run(["api-key", "create", ...args]);
      assert.notEqual(r.code, 0, args.join(" "));
      assert.match(r.stderr, message);
      assert.equal(r.stdout, "");
    }
    assert.equal(await count(), n);
  });

  test("list shows id, name, hosts, kinds, expiry and revocation, never a secret; revoke works once", async () => {
    const made = await box.run(["api-key", "create", "--name", "bot", "--host", HOST, "--host", OTHER_HOST, "--kind", "contact"]);
    const { id, secret, credential } = credentialOf(made.stdout);

    const listed = await box.run(["api-key", "list"]);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^id\s+name\s+hosts\s+kinds\s+expires\s+revoked$/);
    const row = lines.find((l) => l.startsWith(id));
    assert.ok(row, listed.stdout);
    assert.match(row, new RegExp(`^${id}\\s+bot\\s+${HOST},${OTHER_HOST}\\s+contact\\s+never\\s+-$`));
    assert.ok(!listed.stdout.includes(secret));

    const revoked = await box.run(["api-key", "revoke", id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout.trim(), `revoked API key ${id}`);
    const row2 = (await box.run(["api-key", "list"])).stdout.split("\n").find((l) => l.startsWith(id))!;
    assert.match(row2, /never\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    const check = await box.withStorage((s) => checkCredential(s.apiKeys, credential, Date.now()));
    assert.deepEqual(check, { ok: false, reason: "revoked", id });

    const again = await box.run(["api-key", "revoke", id]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, new RegExp(`API key ${id} is already revoked`));
  });

  test("revoking an unknown key is an error; a pasted ID.SECRET revokes by its id without echoing the secret", async () => {
    const unknown = await box.run(["api-key", "revoke", "AAAAAAAAAAAA"]);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no API key 'AAAAAAAAAAAA'/);

    const { credential, id, secret } = credentialOf((await box.run(["api-key", "create"])).stdout);
    const r = await box.run(["api-key", "revoke", credential]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `revoked API key ${id}`);
    assert.ok(!(r.stdout + r.stderr).includes(secret));
  });
});
