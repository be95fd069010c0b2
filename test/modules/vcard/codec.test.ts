import { test } from "node:test";
import assert from "node:assert/strict";
import { x } from "../../../src/xml/element.ts";
import { NS } from "../../../src/xmpp/namespaces.ts";
import { StanzaError } from "../../../src/xmpp/stanza-error.ts";
import { MAX_VCARD_BYTES, decodeStoredVcard, emptyVcard, encodeStoredVcard } from "../../../src/modules/vcard/codec.ts";

test("a vCard round-trips through storage", () => {
  const v = x("vCard", { xmlns: NS.VCARD }, x("FN", null, "Juliet Capulet"), x("NICKNAME", null, "J & <3"));
  const back = decodeStoredVcard(encodeStoredVcard(v)!);
  assert.equal(back.getChildText("FN", NS.VCARD), "Juliet Capulet");
  assert.equal(back.getChildText("NICKNAME", NS.VCARD), "J & <3");
});

test("an empty vCard removes the stored one", () => {
  assert.equal(encodeStoredVcard(emptyVcard()), undefined);
  assert.equal(emptyVcard().toString(), '<vCard xmlns="vcard-temp"/>');
});

test("too large a vCard is not-acceptable", () => {
  const big = x("vCard", { xmlns: NS.VCARD }, x("DESC", null, "a".repeat(MAX_VCARD_BYTES)));
  assert.throws(() => encodeStoredVcard(big), (e) => e instanceof StanzaError && e.condition === "not-acceptable");
  const fits = x("vCard", { xmlns: NS.VCARD }, x("DESC", null, "a".repeat(MAX_VCARD_BYTES - 100)));
  assert.ok(encodeStoredVcard(fits));
});

test("stored text that is not a vCard is refused", () => {
  assert.throws(() => decodeStoredVcard("<x xmlns='other'/>"));
});
