// Secrets of the invites API stay secret: key secrets and invite tokens are neither stored nor logged.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { CreatedApiKey } from "../../../src/modules/invites-api/keys.ts";
import { startApiServer, type ApiServer } from "./support.ts";

describe("invites API secrets", () => {
  let s: ApiServer;
  let key: CreatedApiKey;
  const logs: string[] = [];
  let secret: string;
  let wrongSecret: string;
  let tokens: string[];

  before(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString("utf8"));
        done();
      },
    });
    s = await startApiServer({ logDestination: destination, configure: (c) => (c.logLevel = "debug") });
    key = await s.key({ name: "secret test" });
    secret = key.credential.split(".")[1]!;
    wrongSecret = `${secret.slice(0, -3)}${secret.endsWith("xyz") ? "abc" : "xyz"}`;
    const id = key.record.id;
    const created = await s.call("POST", "/api/v1/invites", { key: key.credential, json: { kind: "account", note: "hello" } });
    assert.equal(created.status, 201);
    const compat = await s.call("GET", "/invites_api", { key: `${id}/${secret}` });
    assert.equal(compat.status, 201);
    tokens = [(await created.json()).token as string, /\/invite\/([^/]+)\//.exec(compat.headers.get("location")!)![1]!];
    assert.equal((await s.call("GET", "/api/v1/invites", { key: `${id}.${wrongSecret}` })).status, 401);
    assert.equal((await s.call("GET", "/invites_api", { key: `${id}/${wrongSecret}` })).status, 403);
    assert.equal((await s.call("GET", "/api/v1/invites", { key: `${id}.${secret}` })).status, 200);
  });
  after(() => s.stop());

  test("the SQLite files hold the secret's SHA-256, never the secret (nor the invite tokens)", async () => {
    const files = readdirSync(s.ts.dataDir).filter((f) => f.startsWith("hearth.sqlite"));
    assert.ok(files.includes("hearth.sqlite"));
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(s.ts.dataDir, f))));
    assert.ok(bytes.includes(key.record.secretHash), "the scan sees the stored hash");
    assert.ok(bytes.includes(key.record.id));
    assert.equal(bytes.includes(secret), false, "secret stored");
    for (const token of tokens) assert.equal(bytes.includes(token), false, "token stored");
  });

  test("the log names the key id and the refusals, never a secret, a presented wrong secret or a token", () => {
    const text = logs.join("");
    assert.ok(text.includes(`"key":"${key.record.id}"`), "refusals are logged with the key id");
    assert.ok(text.includes("key refused"));
    assert.ok(text.includes(`api:${key.record.id}`), "invite creation is logged with its creator");
    assert.equal(text.includes(secret), false, "secret logged");
    assert.equal(text.includes(wrongSecret), false, "presented secret logged");
    for (const token of tokens) assert.equal(text.includes(token), false, "token logged");
  });
});
