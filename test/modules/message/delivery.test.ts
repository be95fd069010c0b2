import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { x, type Element } from "../../../src/xml/element.ts";
import { deliverToBare as deliver, type Recipient } from "../../../src/modules/message/delivery.ts";

class Resource implements Recipient {
  readonly got: Element[] = [];
  readonly presence: unknown;
  readonly priority: number;
  readonly name: string;
  constructor(name: string, priority: number, available = true) {
    this.name = name;
    this.priority = priority;
    this.presence = available ? x("presence") : undefined;
  }
  send(stanza: Element): void {
    this.got.push(stanza);
  }
}

/** Like the session registry: every call hands out a fresh one-shot iterator over a Map. */
function deliverToBare(rs: Resource[], stanza: Element, policy: "most-available" | "all"): number {
  const map = new Map(rs.map((r) => [r.name, r]));
  return deliver({ resources: (bare) => (bare === "u@example.com" ? map.values() : new Map<string, Resource>().values()) }, "u@example.com", stanza, policy);
}

const msg = x("message", { type: "chat" }, x("body", null, "hi"));
const receivers = (rs: Resource[]) => rs.filter((r) => r.got.length > 0).map((r) => r.name);

describe("deliverToBare, most-available (chat, normal)", () => {
  test("the single highest priority wins", () => {
    const rs = [new Resource("a", 1), new Resource("b", 5), new Resource("c", 0)];
    assert.equal(deliverToBare(rs, msg, "most-available"), 1);
    assert.deepEqual(receivers(rs), ["b"]);
    assert.equal(rs[1]!.got[0], msg, "the stanza itself is sent, not a copy");
  });

  test("all resources sharing the top priority get it", () => {
    const rs = [new Resource("a", 3), new Resource("b", 1), new Resource("c", 3)];
    assert.equal(deliverToBare(rs, msg, "most-available"), 2);
    assert.deepEqual(receivers(rs), ["a", "c"]);
  });

  test("priority 0 counts as non-negative", () => {
    const rs = [new Resource("a", 0), new Resource("b", -1)];
    assert.equal(deliverToBare(rs, msg, "most-available"), 1);
    assert.deepEqual(receivers(rs), ["a"]);
  });

  test("negative priorities and unavailable resources get nothing", () => {
    const rs = [new Resource("a", -1), new Resource("b", 10, false), new Resource("c", -5)];
    assert.equal(deliverToBare(rs, msg, "most-available"), 0);
    assert.deepEqual(receivers(rs), []);
  });

  test("an unavailable resource with a higher priority does not hide the available one", () => {
    const rs = [new Resource("a", 50, false), new Resource("b", 2)];
    assert.equal(deliverToBare(rs, msg, "most-available"), 1);
    assert.deepEqual(receivers(rs), ["b"]);
  });

  test("no resources at all", () => {
    assert.equal(deliverToBare([], msg, "most-available"), 0);
  });
});

describe("deliverToBare, all (headline)", () => {
  test("every available non-negative resource gets it", () => {
    const rs = [new Resource("a", 3), new Resource("b", 0), new Resource("c", -1), new Resource("d", 7, false)];
    assert.equal(deliverToBare(rs, msg, "all"), 2);
    assert.deepEqual(receivers(rs), ["a", "b"]);
  });

  test("none when all are negative", () => {
    const rs = [new Resource("a", -3)];
    assert.equal(deliverToBare(rs, msg, "all"), 0);
  });
});
