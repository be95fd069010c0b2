// The first-start admin invite, called as `hearth start` calls it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultConfig } from "../../src/core/config/index.ts";
import { openStorage } from "../../src/storage/open.ts";
import { bootstrapAdminInvites } from "../../src/cli/bootstrap.ts";

test("no admin: an admin invite is printed; with the HTTP bootstrap configured, none is", async () => {
  const storage = await openStorage({ driver: "sqlite", path: ":memory:" });
  try {
    const config = defaultConfig();
    config.http.enabled = false;
    const lines = await bootstrapAdminInvites({ storage, config });
    assert.ok(lines.some((l) => /^ {2}xmpp:localhost\?register;preauth=[A-Za-z0-9_-]{24}$/.test(l)), lines.join("\n"));
    assert.equal((await storage.invites.listLive("localhost", Date.now(), { createdBy: "bootstrap" })).length, 1);

    config.invites.bootstrap.secret = "a-long-enough-bootstrap-secret";
    assert.deepEqual(await bootstrapAdminInvites({ storage, config }), []);
  } finally {
    await storage.close();
  }
});
