// `hearth invite create` without a running server: the landing URL, derived from the configuration, is line 2.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./helpers.ts";

describe("hearth invite create: the default landing page", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "hearth-cli-landing-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const create = async (name: string, http: string) => {
    const configPath = join(dir, `${name}.toml`);
    writeFileSync(configPath, [`data_dir = ${JSON.stringify(join(dir, name))}`, "", "[[hosts]]", 'domain = "example.com"', "", "[http]", http, ""].join("\n"));
    const r = await runCli(["invite", "create", "--config", configPath]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    const token = /preauth=([A-Za-z0-9_-]+)$/.exec(lines[0]!)?.[1];
    assert.ok(token, lines[0]);
    return { lines, token };
  };

  test("the HTTPS port of the configuration", async () => {
    const { lines, token } = await create("ports", "https_port = 8443");
    assert.deepEqual(lines, [`xmpp:example.com?register;preauth=${token}`, `https://example.com:8443/invite/${token}/`]);
  });

  test("public_url", async () => {
    const { lines, token } = await create("public", 'public_url = "https://chat.example.org"');
    assert.equal(lines[1], `https://chat.example.org/invite/${token}/`);
  });

  test("no web server, no landing page", async () => {
    const { lines } = await create("off", "enabled = false");
    assert.equal(lines.length, 1);
  });
});
