import { test, describe, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { kinds, open, type Opened } from "./helpers.ts";

const h = "example.org";

for (const kind of kinds) {
  describe(`sqlite vcards and private XML (${kind})`, () => {
    let o: Opened;
    beforeEach(async () => {
      o = await open(kind);
    });
    afterEach(async () => {
      await o.dispose();
    });

    test("vcard: set, replace, delete with undefined", async () => {
      const v = o.storage.vcards;
      assert.equal(await v.get(h, "alice"), undefined);
      await v.set(h, "alice", "<vCard xmlns='vcard-temp'><FN>Alice</FN></vCard>");
      await v.set(h, "bob", "<vCard xmlns='vcard-temp'><FN>Bob</FN></vCard>");
      await v.set(h, "alice", "<vCard xmlns='vcard-temp'><FN>Alice Ä</FN></vCard>");
      assert.equal(await v.get(h, "alice"), "<vCard xmlns='vcard-temp'><FN>Alice Ä</FN></vCard>");
      await v.set(h, "alice", undefined);
      assert.equal(await v.get(h, "alice"), undefined);
      await v.set(h, "alice", undefined);
      assert.equal(await v.get(h, "bob"), "<vCard xmlns='vcard-temp'><FN>Bob</FN></vCard>");
    });

    test("private XML: keyed per element, set, replace, delete with undefined", async () => {
      const p = o.storage.privateData;
      const bm = "{storage:bookmarks}storage";
      const rn = "{storage:rosternotes}storage";
      assert.equal(await p.get(h, "alice", bm), undefined);
      await p.set(h, "alice", bm, "<storage xmlns='storage:bookmarks'/>");
      await p.set(h, "alice", rn, "<storage xmlns='storage:rosternotes'/>");
      await p.set(h, "alice", bm, "<storage xmlns='storage:bookmarks'><conference jid='a@b'/></storage>");
      assert.equal(await p.get(h, "alice", bm), "<storage xmlns='storage:bookmarks'><conference jid='a@b'/></storage>");
      assert.equal(await p.get(h, "alice", rn), "<storage xmlns='storage:rosternotes'/>");
      assert.equal(await p.get(h, "bob", bm), undefined);
      await p.set(h, "alice", bm, undefined);
      assert.equal(await p.get(h, "alice", bm), undefined);
      assert.equal(await p.get(h, "alice", rn), "<storage xmlns='storage:rosternotes'/>");
    });
  });
}
