import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { x } from "../../../src/xml/element.ts";
import { decodeStored, delayElement, encodeStored, shouldStore, stampString } from "../../../src/modules/offline/codec.ts";

const body = () => x("body", null, "hello");
const state = (name = "active") => x(name, { xmlns: "http://jabber.org/protocol/chatstates" });
const hint = (name: string) => x(name, { xmlns: "urn:xmpp:hints" });

describe("shouldStore (XEP-0160 §3, XEP-0334)", () => {
  test("chat and normal with a body are stored", () => {
    assert.equal(shouldStore(x("message", { type: "chat" }, body())), true);
    assert.equal(shouldStore(x("message", { type: "normal" }, body())), true);
    assert.equal(shouldStore(x("message", null, body())), true);
  });

  test("content other than a body counts (a receipt, a subject, an invitation)", () => {
    assert.equal(shouldStore(x("message", { type: "chat" }, x("received", { xmlns: "urn:xmpp:receipts", id: "1" }))), true);
    assert.equal(shouldStore(x("message", null, x("subject", null, "s"))), true);
  });

  test("a chat with only chat states (and a thread) is not stored", () => {
    assert.equal(shouldStore(x("message", { type: "chat" }, state("composing"))), false);
    assert.equal(shouldStore(x("message", { type: "chat" }, state(), x("thread", { xmlns: "jabber:client" }, "t1"))), false);
    assert.equal(shouldStore(x("message", { type: "chat" })), false);
  });

  test("a chat state next to a body does not stop storing", () => {
    assert.equal(shouldStore(x("message", { type: "chat" }, state(), body())), true);
  });

  test("headline, groupchat and error are not stored", () => {
    assert.equal(shouldStore(x("message", { type: "headline" }, body())), false);
    assert.equal(shouldStore(x("message", { type: "groupchat" }, body())), false);
    assert.equal(shouldStore(x("message", { type: "error" }, body())), false);
  });

  test("<no-store/> prevents storing; <store/> asks for it", () => {
    assert.equal(shouldStore(x("message", { type: "chat" }, body(), hint("no-store"))), false);
    assert.equal(shouldStore(x("message", { type: "headline" }, body(), hint("store"))), true);
    assert.equal(shouldStore(x("message", { type: "chat" }, state(), hint("store"))), true);
    assert.equal(shouldStore(x("message", { type: "groupchat" }, body(), hint("store"))), false);
    assert.equal(shouldStore(x("message", { type: "error" }, body(), hint("store"))), false);
  });

  test("no-permanent-store does not prevent offline storage", () => {
    assert.equal(shouldStore(x("message", { type: "chat" }, body(), hint("no-permanent-store"))), true);
  });
});

describe("stored messages", () => {
  test("stamps are XEP-0082 UTC with milliseconds", () => {
    assert.equal(stampString(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), "2024-01-02T03:04:05.006Z");
    const d = delayElement("example.com", 0);
    assert.equal(d.toString(), '<delay xmlns="urn:xmpp:delay" from="example.com" stamp="1970-01-01T00:00:00.000Z">Offline Storage</delay>');
  });

  test("encode then decode keeps the stanza and appends the delay last", () => {
    const msg = x("message", { from: "romeo@example.net/orchard", to: "juliet@example.com", type: "chat" }, body(), x("x", { xmlns: "urn:example" }));
    msg.ns = "jabber:client";
    const stored = encodeStored(msg);
    assert.ok(!stored.includes("jabber:client"), "the jabber:client context is implicit");
    const back = decodeStored(stored, "example.com", Date.UTC(2020, 5, 1));
    assert.equal(back.ns, "jabber:client");
    assert.deepEqual(back.attrs, msg.attrs);
    const kids = back.elements();
    assert.deepEqual(kids.map((k) => k.name), ["body", "x", "delay"]);
    assert.equal(kids[2]!.ns, "urn:xmpp:delay");
    assert.equal(kids[2]!.attrs.from, "example.com");
    assert.equal(kids[2]!.attrs.stamp, "2020-06-01T00:00:00.000Z");
  });

  test("decoding refuses garbage and non-messages", () => {
    assert.throws(() => decodeStored("<message><body>", "example.com", 0));
    assert.throws(() => decodeStored("<iq type='get' id='1'/>", "example.com", 0));
  });
});
