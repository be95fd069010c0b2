import { test } from "node:test";
import assert from "node:assert/strict";
import { parseElement } from "../../../src/xml/parse-element.ts";
import { x } from "../../../src/xml/element.ts";
import { NS } from "../../../src/xmpp/namespaces.ts";
import { StanzaError } from "../../../src/xmpp/stanza-error.ts";
import { decodeInfo, decodeItems, decodeQueryNode, encodeInfo, encodeItems } from "../../../src/modules/disco/codec.ts";

test("the node of a query; absent and empty both mean the entity itself", () => {
  assert.equal(decodeQueryNode(x("query", { xmlns: NS.DISCO_INFO })), "");
  assert.equal(decodeQueryNode(x("query", { xmlns: NS.DISCO_INFO, node: "" })), "");
  assert.equal(decodeQueryNode(x("query", { xmlns: NS.DISCO_INFO, node: NS.COMMANDS })), NS.COMMANDS);
});

test("info encodes identities, then features, then extension forms, and decodes back", () => {
  const form = x("x", { xmlns: NS.DATA_FORMS, type: "result" });
  const el = encodeInfo(
    { identities: [{ category: "server", type: "im", name: "Hearth" }, { category: "pubsub", type: "pep" }], features: ["a", "b"], extensions: [form] },
    "",
  );
  assert.equal(
    el.toString(),
    '<query xmlns="http://jabber.org/protocol/disco#info"><identity category="server" type="im" name="Hearth"/>' +
      '<identity category="pubsub" type="pep"/><feature var="a"/><feature var="b"/><x xmlns="jabber:x:data" type="result"/></query>',
  );
  const back = decodeInfo(parseElement(el.toString()));
  assert.deepEqual(back.identities, [{ category: "server", type: "im", name: "Hearth" }, { category: "pubsub", type: "pep" }]);
  assert.deepEqual(back.features, ["a", "b"]);
  assert.equal(back.extensions.length, 1);
});

test("a node is echoed on the answer", () => {
  assert.equal(encodeInfo({ identities: [], features: [], extensions: [] }, "n1").attrs.node, "n1");
  assert.equal(encodeItems([], "n2").attrs.node, "n2");
  assert.equal(encodeItems([], "").attrs.node, undefined);
});

test("items round-trip, optional attributes left out", () => {
  const el = encodeItems([{ jid: "example.com", node: "cmd", name: "Do it" }, { jid: "muc.example.com" }], "");
  assert.equal(
    el.toString(),
    '<query xmlns="http://jabber.org/protocol/disco#items"><item jid="example.com" node="cmd" name="Do it"/><item jid="muc.example.com"/></query>',
  );
  assert.deepEqual(decodeItems(parseElement(el.toString())), [{ jid: "example.com", node: "cmd", name: "Do it" }, { jid: "muc.example.com" }]);
});

test("malformed answers are refused", () => {
  assert.throws(() => decodeInfo(x("query", { xmlns: NS.DISCO_ITEMS })), StanzaError);
  assert.throws(() => decodeInfo(x("query", { xmlns: NS.DISCO_INFO }, x("identity", { type: "im" }))), StanzaError);
  assert.throws(() => decodeInfo(x("query", { xmlns: NS.DISCO_INFO }, x("feature"))), StanzaError);
  assert.throws(() => decodeItems(x("query", { xmlns: NS.DISCO_ITEMS }, x("item", { name: "no jid" }))), StanzaError);
});
