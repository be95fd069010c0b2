import { test, describe, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { kinds, open, type Opened } from "./helpers.ts";

const h = "example.org";

for (const kind of kinds) {
  describe(`sqlite offline messages (${kind})`, () => {
    let o: Opened;
    beforeEach(async () => {
      o = await open(kind);
    });
    afterEach(async () => {
      await o.dispose();
    });

    test("holders lists each account with stored messages once", async () => {
      const s = o.storage.offline;
      assert.deepEqual(await s.holders(), []);
      await s.push(h, "alice", "<message id='1'/>", 1);
      await s.push(h, "alice", "<message id='2'/>", 2);
      await s.push("other.example", "alice", "<message id='3'/>", 3);
      const holders = (await s.holders()).map((x) => `${x.username}@${x.host}`).sort();
      assert.deepEqual(holders, ["alice@example.org", "alice@other.example"]);
      await s.popAll(h, "alice");
      assert.deepEqual(await s.holders(), [{ host: "other.example", username: "alice" }]);
    });

    test("popAll returns messages in arrival order and empties the queue", async () => {
      const s = o.storage.offline;
      assert.equal(await s.count(h, "alice"), 0);
      // Stamps deliberately out of order: arrival order wins.
      await s.push(h, "alice", "<message id='1'/>", 1_700_000_000_300);
      await s.push(h, "alice", "<message id='2'/>", 1_700_000_000_100);
      await s.push(h, "bob", "<message id='b'/>", 1_700_000_000_000);
      await s.push(h, "alice", "<message id='3'/>", 1_700_000_000_200);
      assert.equal(await s.count(h, "alice"), 3);
      assert.deepEqual(await s.popAll(h, "alice"), [
        { stanza: "<message id='1'/>", stamp: 1_700_000_000_300 },
        { stanza: "<message id='2'/>", stamp: 1_700_000_000_100 },
        { stanza: "<message id='3'/>", stamp: 1_700_000_000_200 },
      ]);
      assert.equal(await s.count(h, "alice"), 0);
      assert.deepEqual(await s.popAll(h, "alice"), []);
      assert.equal(await s.count(h, "bob"), 1);
    });

    test("order survives many messages and later pushes after a drain", async () => {
      const s = o.storage.offline;
      for (let i = 0; i < 300; i++) await s.push(h, "alice", `<m n='${i}'/>`, i);
      const first = await s.popAll(h, "alice");
      assert.deepEqual(first.map((m) => m.stamp), Array.from({ length: 300 }, (_, i) => i));
      await s.push(h, "alice", "<m n='late'/>", 5);
      assert.deepEqual(await s.popAll(h, "alice"), [{ stanza: "<m n='late'/>", stamp: 5 }]);
    });

    test("two concurrent drains hand out each message exactly once", async () => {
      const s = o.storage.offline;
      for (let i = 0; i < 50; i++) await s.push(h, "alice", `<m n='${i}'/>`, i);
      const [a, b] = await Promise.all([s.popAll(h, "alice"), s.popAll(h, "alice")]);
      const stamps = [...a!, ...b!].map((m) => m.stamp).sort((x, y) => x - y);
      assert.deepEqual(stamps, Array.from({ length: 50 }, (_, i) => i));
    });
  });
}
