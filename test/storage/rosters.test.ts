import { test, describe, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import type { RosterItem } from "../../src/storage/types.ts";
import { kinds, open, type Opened } from "./helpers.ts";

const h = "example.org";

function item(jid: string, extra: Partial<RosterItem> = {}): RosterItem {
  return { jid, subscription: "none", ask: false, approved: false, groups: [], ...extra };
}

for (const kind of kinds) {
  describe(`sqlite rosters (${kind})`, () => {
    let o: Opened;
    beforeEach(async () => {
      o = await open(kind);
    });
    afterEach(async () => {
      await o.dispose();
    });

    test("a user with no roster has version 0 and no items", async () => {
      assert.deepEqual(await o.storage.rosters.getRoster(h, "alice"), { version: 0, items: [] });
      assert.equal(await o.storage.rosters.version(h, "alice"), 0);
      assert.equal(await o.storage.rosters.getItem(h, "alice", "x@example.net"), undefined);
    });

    test("putItem bumps the version each time and items round-trip, sorted by jid", async () => {
      const r = o.storage.rosters;
      const carol = item("carol@example.net", {
        name: "Carol",
        subscription: "both",
        groups: ["Friends", "Work ☕"],
      });
      const bob = item("bob@example.net", { subscription: "to", ask: true });
      const dave = item("dave@example.net", { subscription: "from", approved: true });
      assert.equal(await r.putItem(h, "alice", carol), 1);
      assert.equal(await r.putItem(h, "alice", bob), 2);
      assert.equal(await r.putItem(h, "alice", dave), 3);
      const roster = await r.getRoster(h, "alice");
      assert.equal(roster.version, 3);
      assert.deepEqual(roster.items, [bob, carol, dave]);
      assert.equal("name" in roster.items[0]!, false);
      assert.deepEqual(await r.getItem(h, "alice", "carol@example.net"), carol);
      assert.equal(await r.version(h, "alice"), 3);
      // Other users are untouched.
      assert.deepEqual(await r.getRoster(h, "bob"), { version: 0, items: [] });
      assert.deepEqual(await r.getRoster("other.example", "alice"), { version: 0, items: [] });
    });

    test("putItem replaces an existing item, including dropping its name", async () => {
      const r = o.storage.rosters;
      await r.putItem(h, "alice", item("bob@example.net", { name: "Bob", groups: ["A"], ask: true }));
      const replaced = item("bob@example.net", { subscription: "both", groups: ["B", "C"] });
      assert.equal(await r.putItem(h, "alice", replaced), 2);
      const roster = await r.getRoster(h, "alice");
      assert.deepEqual(roster, { version: 2, items: [replaced] });
    });

    test("removeItem bumps the version, or returns undefined and leaves it when absent", async () => {
      const r = o.storage.rosters;
      await r.putItem(h, "alice", item("bob@example.net"));
      await r.putItem(h, "alice", item("carol@example.net"));
      assert.equal(await r.removeItem(h, "alice", "nobody@example.net"), undefined);
      assert.equal(await r.version(h, "alice"), 2);
      assert.equal(await r.removeItem(h, "alice", "bob@example.net"), 3);
      assert.equal(await r.removeItem(h, "alice", "bob@example.net"), undefined);
      assert.equal(await r.removeItem(h, "alice", "carol@example.net"), 4);
      // Empty roster keeps its version.
      assert.deepEqual(await r.getRoster(h, "alice"), { version: 4, items: [] });
      assert.equal(await r.putItem(h, "alice", item("bob@example.net")), 5);
    });

    test("concurrent putItems each get a distinct version", async () => {
      const r = o.storage.rosters;
      const versions = await Promise.all(
        Array.from({ length: 25 }, (_, i) => r.putItem(h, "alice", item(`c${i}@example.net`))),
      );
      assert.deepEqual(
        [...versions].sort((a, b) => a - b),
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
      const roster = await r.getRoster(h, "alice");
      assert.equal(roster.version, 25);
      assert.equal(roster.items.length, 25);
    });

    test("pending inbound subscriptions: add, replace, list, has, remove", async () => {
      const r = o.storage.rosters;
      assert.deepEqual(await r.listPendingIn(h, "alice"), []);
      await r.addPendingIn(h, "alice", "zed@example.net", "<presence type='subscribe' id='1'/>");
      await r.addPendingIn(h, "alice", "bob@example.net", "<presence type='subscribe' id='2'/>");
      await r.addPendingIn(h, "alice", "bob@example.net", "<presence type='subscribe' id='3'/>");
      await r.addPendingIn(h, "carol", "bob@example.net", "<presence type='subscribe' id='4'/>");
      assert.deepEqual(await r.listPendingIn(h, "alice"), [
        { jid: "bob@example.net", stanza: "<presence type='subscribe' id='3'/>" },
        { jid: "zed@example.net", stanza: "<presence type='subscribe' id='1'/>" },
      ]);
      assert.equal(await r.hasPendingIn(h, "alice", "bob@example.net"), true);
      assert.equal(await r.hasPendingIn(h, "alice", "nobody@example.net"), false);
      assert.equal(await r.removePendingIn(h, "alice", "bob@example.net"), true);
      assert.equal(await r.removePendingIn(h, "alice", "bob@example.net"), false);
      assert.equal(await r.hasPendingIn(h, "alice", "bob@example.net"), false);
      assert.equal(await r.hasPendingIn(h, "carol", "bob@example.net"), true);
      // Pending-in does not touch the roster version.
      assert.equal(await r.version(h, "alice"), 0);
      const holders = (await r.pendingInHolders()).map((x) => `${x.username}@${x.host}`).sort();
      assert.deepEqual(holders, [`alice@${h}`, `carol@${h}`]);
    });
  });
}
