import { test } from "node:test";
import assert from "node:assert/strict";
import { x } from "../../../src/xml/element.ts";
import { NS } from "../../../src/xmpp/namespaces.ts";
import { StanzaError } from "../../../src/xmpp/stanza-error.ts";
import { decodePrivateQuery, decodeStoredFragment, encodeStoredFragment, privateKey } from "../../../src/modules/private/codec.ts";

const query = (...kids: ReturnType<typeof x>[]) => x("query", { xmlns: NS.PRIVATE }, ...kids);

function condition(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof StanzaError) return e.condition;
    throw e;
  }
  return "none";
}

test("one namespaced fragment is accepted and keyed by {ns}name", () => {
  const frag = x("exodus", { xmlns: "exodus:prefs" }, x("defaultnick", null, "Hamlet"));
  assert.equal(decodePrivateQuery(query(frag)), frag);
  assert.equal(privateKey(frag), "{exodus:prefs}exodus");
});

test("an empty query is not-acceptable (XEP-0049 §2.3), two fragments a bad-request", () => {
  assert.equal(condition(() => decodePrivateQuery(query())), "not-acceptable");
  assert.equal(condition(() => decodePrivateQuery(query(x("a", { xmlns: "u:a" }), x("b", { xmlns: "u:b" })))), "bad-request");
});

test("reserved namespaces and fragments without one are not-acceptable", () => {
  for (const ns of [NS.CLIENT, NS.SERVER, NS.PRIVATE, ""]) {
    assert.equal(condition(() => decodePrivateQuery(query(x("data", { xmlns: ns })))), "not-acceptable", ns);
  }
});

test("an empty fragment is stored as nothing; others round-trip", () => {
  assert.equal(encodeStoredFragment(x("storage", { xmlns: "storage:bookmarks" })), undefined);
  const frag = x("storage", { xmlns: "storage:bookmarks" }, x("conference", { jid: "room@muc.example.com", autojoin: "true" }));
  const xml = encodeStoredFragment(frag)!;
  const back = decodeStoredFragment(xml);
  assert.equal(back.ns, "storage:bookmarks");
  assert.equal(back.getChild("conference", "storage:bookmarks")?.attrs.jid, "room@muc.example.com");
});
