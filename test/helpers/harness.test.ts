import { test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer } from "./server.ts";

test("the harness starts a server, logs a user in and binds a resource", async () => {
  const ts = await startTestServer();
  try {
    await ts.createUser("romeo");
    const c = await ts.login("romeo", { resource: "orchard" });
    assert.equal(c.jid, "romeo@example.com/orchard");
  } finally {
    await ts.stop();
  }
});
