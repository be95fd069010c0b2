// RFC 6121 §2: the roster service keeps its in-memory copy equal to the store through writes, loads and drops.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { openSqliteStorage } from "../../../src/storage/sqlite.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { SessionRegistry } from "../../../src/core/sessions.ts";
import { RosterService, accountKey } from "../../../src/modules/roster/service.ts";
import { KeyedLock } from "../../../src/modules/roster/keyed-lock.ts";
import type { RosterItem } from "../../../src/storage/types.ts";
import { StanzaError } from "../../../src/xmpp/stanza-error.ts";

async function setup() {
  const storage = await openSqliteStorage(":memory:");
  const service = new RosterService(storage.rosters, new SessionRegistry(), createLogger("silent"));
  return { storage, service };
}

const item = (jid: string, extra: Partial<RosterItem> = {}): RosterItem => ({
  jid,
  subscription: "none",
  ask: false,
  approved: false,
  groups: [],
  ...extra,
});

describe("KeyedLock", () => {
  test("runs work on one key in order and lets other keys through", async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const slow = (tag: string, ms: number) => () => new Promise<void>((r) => setTimeout(() => (log.push(tag), r()), ms));
    await Promise.all([lock.run("a", slow("a1", 30)), lock.run("a", slow("a2", 1)), lock.run("b", slow("b1", 5))]);
    assert.deepEqual(log, ["b1", "a1", "a2"]);
    assert.equal(lock.size, 0);
  });

  test("a failed task does not block the next one", async () => {
    const lock = new KeyedLock();
    await assert.rejects(lock.run("a", () => Promise.reject(new Error("boom"))));
    assert.equal(await lock.run("a", async () => 42), 42);
  });
});

describe("RosterService", () => {
  test("writes bump the version and reads agree, cached or not", async () => {
    const { storage, service } = await setup();
    await service.updateItem("example.com", "juliet", "romeo@example.net", () => item("romeo@example.net", { name: "Romeo" }));
    assert.equal(service.isCached("example.com", "juliet"), false);
    assert.deepEqual(await service.getRoster("example.com", "juliet"), {
      version: 1,
      items: [item("romeo@example.net", { name: "Romeo" })],
    });
    await service.cache.load(accountKey("example.com", "juliet"), "example.com", "juliet");
    assert.equal(service.isCached("example.com", "juliet"), true);
    await service.updateItem("example.com", "juliet", "nurse@example.com", () => item("nurse@example.com"));
    await service.updateItem("example.com", "juliet", "romeo@example.net", (cur) => ({ ...cur!, subscription: "both" }));
    const cached = await service.getRoster("example.com", "juliet");
    assert.equal(cached.version, 3);
    assert.deepEqual(cached, await storage.rosters.getRoster("example.com", "juliet"));
    await storage.close();
  });

  test("an unchanged item is not written again; deleting a missing item is a no-op", async () => {
    const { storage, service } = await setup();
    await service.updateItem("example.com", "juliet", "romeo@example.net", () => item("romeo@example.net", { groups: ["A"] }));
    await service.updateItem("example.com", "juliet", "romeo@example.net", (cur) => ({ ...cur!, groups: ["A"] }));
    assert.equal(await storage.rosters.version("example.com", "juliet"), 1);
    assert.equal(await service.updateItem("example.com", "juliet", "nobody@example.net", () => undefined), undefined);
    assert.equal(await storage.rosters.version("example.com", "juliet"), 1);
    await service.updateItem("example.com", "juliet", "romeo@example.net", () => undefined);
    assert.deepEqual(await service.getRoster("example.com", "juliet"), { version: 2, items: [] });
    await storage.close();
  });

  test("items handed out are frozen so nobody edits the cache by accident", async () => {
    const { storage, service } = await setup();
    await service.cache.load(accountKey("example.com", "juliet"), "example.com", "juliet");
    await service.updateItem("example.com", "juliet", "romeo@example.net", () => item("romeo@example.net"));
    const got = (await service.getItem("example.com", "juliet", "romeo@example.net"))!;
    assert.throws(() => {
      (got as { name?: string }).name = "x";
    }, TypeError);
    assert.throws(() => got.groups.push("x"), TypeError);
    await storage.close();
  });

  test("an updater that throws changes nothing", async () => {
    const { storage, service } = await setup();
    await assert.rejects(
      service.updateItem("example.com", "juliet", "romeo@example.net", () => {
        throw new StanzaError("not-allowed");
      }),
      StanzaError,
    );
    assert.deepEqual(await storage.rosters.getRoster("example.com", "juliet"), { version: 0, items: [] });
    await storage.close();
  });

  test("concurrent updates of one account all land, and a load racing them sees every one", async () => {
    const { storage, service } = await setup();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      writes.push(service.updateItem("example.com", "juliet", `c${i}@example.net`, () => item(`c${i}@example.net`)));
      if (i === 10) writes.push(service.cache.load(accountKey("example.com", "juliet"), "example.com", "juliet"));
      writes.push(
        service.updateItem("example.com", "juliet", "counter@example.net", (cur) =>
          item("counter@example.net", { groups: [String(Number(cur?.groups[0] ?? "0") + 1)] }),
        ),
      );
    }
    await Promise.all(writes);
    const cached = await service.getRoster("example.com", "juliet");
    assert.equal(cached.items.length, 21);
    assert.deepEqual((await service.getItem("example.com", "juliet", "counter@example.net"))?.groups, ["20"]);
    assert.deepEqual(cached, await storage.rosters.getRoster("example.com", "juliet"));
    await storage.close();
  });

  test("after a drop, reads go to the store again", async () => {
    const { storage, service } = await setup();
    const key = accountKey("example.com", "juliet");
    await service.cache.load(key, "example.com", "juliet");
    service.cache.drop(key);
    await storage.rosters.putItem("example.com", "juliet", item("romeo@example.net"));
    assert.equal((await service.getRoster("example.com", "juliet")).items.length, 1);
    await storage.close();
  });
});

describe("RosterService.resync", () => {
  test("takes an item written straight to the store into the cache, removal included", async () => {
    const { storage, service } = await setup();
    const key = accountKey("example.com", "juliet");
    await service.cache.load(key, "example.com", "juliet");
    await storage.rosters.putItem("example.com", "juliet", item("romeo@example.net", { subscription: "both" }));
    assert.equal(await service.getItem("example.com", "juliet", "romeo@example.net"), undefined, "the cache is behind");
    await service.resync("example.com", "juliet", "romeo@example.net");
    assert.deepEqual(await service.getRoster("example.com", "juliet"), await storage.rosters.getRoster("example.com", "juliet"));
    await storage.rosters.removeItem("example.com", "juliet", "romeo@example.net");
    await service.resync("example.com", "juliet", "romeo@example.net");
    assert.deepEqual(await service.getRoster("example.com", "juliet"), { version: 2, items: [] });
    await storage.close();
  });
});
