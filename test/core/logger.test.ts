import { test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { createLogger } from "../../src/core/logger.ts";

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l)) };
}

test("JSON lines at or above the level", () => {
  const out = capture();
  const log = createLogger("info", { destination: out.stream });
  log.debug("hidden");
  log.info({ user: "alice" }, "hello");
  log.child({ module: "roster" }).warn("careful");
  const lines = out.lines();
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.msg, "hello");
  assert.equal(lines[0]!.user, "alice");
  assert.equal(lines[0]!.level, 30);
  assert.equal(typeof lines[0]!.time, "string");
  assert.deepEqual([lines[1]!.module, lines[1]!.msg, lines[1]!.level], ["roster", "careful", 40]);
});

test("secrets are redacted at the top level and one level down", () => {
  const out = capture();
  const log = createLogger("trace", { destination: out.stream });
  log.info(
    {
      password: "hunter2",
      token: "t0k3n",
      secret: "s",
      authorization: "Bearer abc",
      account: { name: "alice", password: "hunter2" },
      invite: { token: "t0k3n", secret: "s" },
      req: { headers: { authorization: "Basic YWxpY2U6aHVudGVyMg==", host: "example.org" } },
    },
    "login",
  );
  const text = JSON.stringify(out.lines());
  for (const leaked of ["hunter2", "t0k3n", "Bearer abc", "YWxpY2U6aHVudGVyMg=="]) assert.ok(!text.includes(leaked), leaked);
  const [line] = out.lines();
  assert.equal(line!.password, "[redacted]");
  assert.deepEqual(line!.account, { name: "alice", password: "[redacted]" });
  assert.deepEqual(line!.req, { headers: { authorization: "[redacted]", host: "example.org" } });
});

test("silent logs nothing", () => {
  const out = capture();
  const log = createLogger("silent", { destination: out.stream });
  log.fatal("nothing");
  assert.equal(out.lines().length, 0);
});
