// What waits for a user survives a restart: stored messages and unanswered subscription requests are
// delivered at the first login after it (the server reads who has any once, at start-up).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { HearthServer } from "../../src/core/server.ts";
import { RawClient } from "../helpers/raw-client.ts";
import { startTestServer, TEST_PASSWORD } from "../helpers/server.ts";

test("offline messages and pending subscription requests stored before a restart are delivered after it", async () => {
  const first = await startTestServer();
  const { config } = first.server;
  await first.createUser("juliet");
  const storage = first.server.storage;
  await storage.offline.push("example.com", "juliet", "<message xmlns='jabber:client' from='romeo@example.com/orchard' to='juliet@example.com' type='chat'><body>Wherefore art thou?</body></message>", Date.now() - 60_000);
  await storage.rosters.addPendingIn("example.com", "juliet", "nurse@example.com", "<presence xmlns='jabber:client' from='nurse@example.com' to='juliet@example.com' type='subscribe'/>");
  await first.server.stop();

  const second = await HearthServer.start({ config });
  try {
    const c = await RawClient.connect({ port: second.port("starttls"), host: "example.com", ca: readFileSync(second.certPath("example.com")!) });
    await c.authenticate("juliet", TEST_PASSWORD);
    await c.bind("balcony");
    c.send("<presence/>");
    await c.receivesAll([
      "<presence from='juliet@example.com/balcony'/>",
      "<presence from='nurse@example.com' to='juliet@example.com' type='subscribe'/>",
      "<message from='romeo@example.com/orchard' type='chat'><body>Wherefore art thou?</body><delay xmlns='urn:xmpp:delay' stamp='*'/></message>",
    ]);
    assert.equal(await second.storage.offline.count("example.com", "juliet"), 0);
    await c.close();
  } finally {
    await second.stop();
    rmSync(config.dataDir, { recursive: true, force: true });
  }
});
