import { test } from "node:test";
import assert from "node:assert/strict";
import { x } from "../../src/xml/element.ts";
import { parseElement } from "../../src/xml/parse-element.ts";

test("round-trips a serialised element with namespaces", () => {
  const el = x("message", { to: "a@b", type: "chat" }, x("body", null, "1 < 2 & \"q\""), x("x", { xmlns: "urn:example" }, x("y")));
  const back = parseElement(el.toString("jabber:client"), "jabber:client");
  assert.equal(back.name, "message");
  assert.equal(back.ns, "jabber:client");
  assert.equal(back.attrs.type, "chat");
  assert.equal(back.getChildText("body"), '1 < 2 & "q"');
  assert.equal(back.getChild("x", "urn:example")?.getChild("y")?.ns, "urn:example");
});

test("without a context namespace, the element's own xmlns is used", () => {
  const back = parseElement("<vCard xmlns='vcard-temp'><FN>Juliet</FN></vCard>");
  assert.equal(back.ns, "vcard-temp");
  assert.equal(back.getChildText("FN", "vcard-temp"), "Juliet");
});

test("rejects broken or multiple elements", () => {
  assert.throws(() => parseElement("<a><b></a>"));
  assert.throws(() => parseElement("<a/><b/>"));
  assert.throws(() => parseElement(""));
  assert.throws(() => parseElement("text"));
});
