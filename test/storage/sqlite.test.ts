import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { once } from "node:events";
import BetterSqlite3 from "better-sqlite3";
import { openSqliteStorage } from "../../src/storage/sqlite.ts";
import { openStorage } from "../../src/storage/open.ts";
import { credentials, kinds, open, tempDir } from "./helpers.ts";

const h = "example.org";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of kinds) {
  describe(`sqlite transactions (${kind})`, () => {
    test("a throwing transaction rolls back and rethrows", async () => {
      const o = await open(kind);
      try {
        await assert.rejects(
          o.storage.transaction(async (tx) => {
            assert.equal(await tx.accounts.create(h, "alice", credentials(), "user"), true);
            assert.equal(await tx.accounts.exists(h, "alice"), true);
            throw new Error("boom");
          }),
          /boom/,
        );
        assert.equal(await o.storage.accounts.exists(h, "alice"), false);
        assert.equal(await o.storage.accounts.create(h, "alice", credentials(), "user"), true);
      } finally {
        await o.dispose();
      }
    });

    test("every store in a transaction rolls back together, including self-atomic methods", async () => {
      const o = await open(kind);
      try {
        await o.storage.accounts.create(h, "bob", credentials(), "user");
        await o.storage.offline.push(h, "bob", "<keep/>", 1);
        await assert.rejects(
          o.storage.transaction(async (tx) => {
            await tx.rosters.putItem(h, "alice", { jid: "c@example.net", subscription: "both", ask: false, approved: false, groups: ["g"] });
            await tx.rosters.addPendingIn(h, "alice", "d@example.net", "<presence/>");
            await tx.offline.push(h, "alice", "<message/>", 1);
            await tx.vcards.set(h, "alice", "<vCard/>");
            await tx.privateData.set(h, "alice", "{a}b", "<b xmlns='a'/>");
            assert.equal(await tx.accounts.delete(h, "bob"), true);
            assert.equal(await tx.rosters.version(h, "alice"), 1);
            throw new Error("undo");
          }),
          /undo/,
        );
        assert.deepEqual(await o.storage.rosters.getRoster(h, "alice"), { version: 0, items: [] });
        assert.equal(await o.storage.rosters.hasPendingIn(h, "alice", "d@example.net"), false);
        assert.equal(await o.storage.offline.count(h, "alice"), 0);
        assert.equal(await o.storage.vcards.get(h, "alice"), undefined);
        assert.equal(await o.storage.privateData.get(h, "alice", "{a}b"), undefined);
        assert.equal(await o.storage.accounts.exists(h, "bob"), true);
        assert.equal(await o.storage.offline.count(h, "bob"), 1);
      } finally {
        await o.dispose();
      }
    });

    test("a successful transaction commits and returns fn's value", async () => {
      const o = await open(kind);
      try {
        const v = await o.storage.transaction(async (tx) => {
          await tx.accounts.create(h, "alice", credentials(), "admin");
          return tx.rosters.putItem(h, "alice", { jid: "c@example.net", subscription: "none", ask: true, approved: false, groups: [] });
        });
        assert.equal(v, 1);
        assert.equal((await o.storage.accounts.get(h, "alice"))?.role, "admin");
        assert.equal((await o.storage.rosters.getRoster(h, "alice")).items[0]?.ask, true);
      } finally {
        await o.dispose();
      }
    });

    test("concurrent transactions run one after the other", async () => {
      const o = await open(kind);
      try {
        // Each reads the count, yields to the event loop, then writes what it read: interleaving would show 0 twice.
        const run = (tag: string) =>
          o.storage.transaction(async (tx) => {
            const n = await tx.offline.count(h, "alice");
            await sleep(20);
            await tx.offline.push(h, "alice", `<m from='${tag}'/>`, n);
            await sleep(5);
            return n;
          });
        const seen = await Promise.all([run("a"), run("b"), run("c")]);
        assert.deepEqual([...seen].sort(), [0, 1, 2]);
        assert.deepEqual((await o.storage.offline.popAll(h, "alice")).map((m) => m.stamp), [0, 1, 2]);
      } finally {
        await o.dispose();
      }
    });

    test("a write outside a transaction waits for it and is not rolled back with it", async () => {
      const o = await open(kind);
      try {
        const failing = o.storage.transaction(async (tx) => {
          await tx.accounts.create(h, "alice", credentials(), "user");
          await sleep(30);
          throw new Error("undo");
        });
        await sleep(5);
        const outside = o.storage.accounts.create(h, "bob", credentials(), "user");
        await assert.rejects(failing, /undo/);
        assert.equal(await outside, true);
        assert.deepEqual(
          (await o.storage.accounts.list(h)).map((a) => a.username),
          ["bob"],
        );
      } finally {
        await o.dispose();
      }
    });
  });
}

describe("openSqliteStorage", () => {
  test("creates parent directories, uses WAL, migrates once, keeps data across reopen", async () => {
    const t = tempDir();
    const path = join(t.dir, "a", "b", "hearth.db");
    try {
      const logs1: string[] = [];
      const s1 = await openSqliteStorage(path, { log: (m) => logs1.push(m) });
      assert.ok(existsSync(path));
      assert.ok(logs1.some((m) => m.includes("applied migration 0001-core")), logs1.join("\n"));
      await s1.accounts.create(h, "alice", credentials(), "user");
      await s1.rosters.putItem(h, "alice", { jid: "c@example.net", subscription: "both", ask: false, approved: true, groups: [] });
      assert.ok(existsSync(`${path}-wal`));
      await s1.close();

      const probe = new BetterSqlite3(path, { readonly: true });
      try {
        assert.equal(probe.pragma("journal_mode", { simple: true }), "wal");
        const names = probe.prepare("select name from kysely_migration order by name").pluck().all();
        assert.deepEqual(names, ["0001-core", "0002-invites", "0003-api-keys", "0004-invited-by"]);
      } finally {
        probe.close();
      }

      const logs2: string[] = [];
      const s2 = await openSqliteStorage(path, { log: (m) => logs2.push(m) });
      try {
        assert.equal(logs2.some((m) => m.includes("applied migration")), false);
        assert.ok(await s2.accounts.exists(h, "alice"));
        assert.deepEqual(await s2.rosters.getRoster(h, "alice"), {
          version: 1,
          items: [{ jid: "c@example.net", subscription: "both", ask: false, approved: true, groups: [] }],
        });
      } finally {
        await s2.close();
      }
    } finally {
      t.remove();
    }
  });

  test("two :memory: storages are independent", async () => {
    const a = await openSqliteStorage(":memory:");
    const b = await openSqliteStorage(":memory:");
    try {
      await a.accounts.create(h, "alice", credentials(), "user");
      assert.equal(await b.accounts.exists(h, "alice"), false);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("a transaction waits for another process's write lock instead of failing, and sees its write", async () => {
    const t = tempDir();
    const path = join(t.dir, "shared.db");
    const s = await openSqliteStorage(path);
    try {
      // The child holds the write lock for 300 ms with an uncommitted row, as `hearth adduser` might.
      const child = spawn(
        process.execPath,
        [
          "-e",
          `const Database = require("better-sqlite3");
           const db = new Database(process.argv[1]);
           db.pragma("busy_timeout = 5000");
           db.exec("begin immediate");
           db.prepare("insert into offline_messages (host, username, stanza, stamp) values ('example.org', 'alice', '<child/>', 1)").run();
           process.stdout.write("locked\\n");
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
           db.exec("commit");
           db.close();`,
          path,
        ],
        { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
      );
      const exited = once(child, "exit");
      let out = "";
      for await (const chunk of child.stdout) {
        out += String(chunk);
        if (out.includes("locked")) break;
      }
      assert.ok(out.includes("locked"));
      const seen = await s.transaction(async (tx) => {
        const n = await tx.offline.count(h, "alice");
        await tx.offline.push(h, "alice", `<parent n='${n}'/>`, 2);
        return n;
      });
      const [code] = await exited;
      assert.equal(code, 0);
      assert.equal(seen, 1);
      assert.deepEqual((await s.offline.popAll(h, "alice")).map((m) => m.stanza), ["<child/>", "<parent n='1'/>"]);
    } finally {
      await s.close();
      t.remove();
    }
  });
});

describe("openStorage", () => {
  test("dispatches the sqlite driver", async () => {
    const s = await openStorage({ driver: "sqlite", path: ":memory:" });
    try {
      assert.equal(await s.accounts.create(h, "alice", credentials(), "user"), true);
    } finally {
      await s.close();
    }
  });

  test("rejects an unknown driver", async () => {
    await assert.rejects(openStorage({ driver: "nosuch" } as unknown as { driver: "sqlite"; path: string }), /unknown storage driver/);
  });
});
