// RFC 6121 §2.1 and §2.3.3: decoding a roster query and the checks on a roster set.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseElement } from "../../../src/xml/parse-element.ts";
import { parseJid } from "../../../src/xmpp/jid.ts";
import { StanzaError } from "../../../src/xmpp/stanza-error.ts";
import { decodeRosterQuery, encodeItem, encodeRoster } from "../../../src/modules/roster/codec.ts";
import { MAX_GROUP_LENGTH, MAX_NAME_LENGTH, validateRosterSet } from "../../../src/modules/roster/validate.ts";

const owner = parseJid("juliet@example.com");
const query = (items: string, ver?: string) =>
  decodeRosterQuery(parseElement(`<query xmlns='jabber:iq:roster'${ver !== undefined ? ` ver='${ver}'` : ""}>${items}</query>`));

function rejects(items: string, condition: string): void {
  assert.throws(
    () => validateRosterSet(query(items), owner),
    (e: unknown) => e instanceof StanzaError && e.condition === condition,
    `expected ${condition} for ${items}`,
  );
}

describe("roster codec", () => {
  test("decodes ver, items, names and groups; ignores foreign children", () => {
    const q = query(
      "<item jid='romeo@example.net' name='Romeo' subscription='both' ask='subscribe'><group>Friends</group><group>Lovers</group></item><x xmlns='urn:other'/>",
      "ver7",
    );
    assert.equal(q.ver, "ver7");
    assert.deepEqual(q.items, [{ jid: "romeo@example.net", name: "Romeo", subscription: "both", groups: ["Friends", "Lovers"] }]);
    assert.equal(query("").ver, undefined);
  });

  test("encodes items with ask and approved only when set, and a removal", () => {
    const item = { jid: "romeo@example.net", name: "Romeo", subscription: "none" as const, ask: true, approved: true, groups: ["Friends"] };
    assert.equal(
      encodeItem(item).toString("jabber:iq:roster"),
      `<item jid="romeo@example.net" name="Romeo" subscription="none" ask="subscribe" approved="true"><group>Friends</group></item>`,
    );
    assert.equal(
      encodeItem({ ...item, name: undefined, ask: false, approved: false, groups: [] }).toString("jabber:iq:roster"),
      `<item jid="romeo@example.net" subscription="none"/>`,
    );
    assert.equal(encodeItem({ jid: "a@b", subscription: "remove" }).toString(), `<item jid="a@b" subscription="remove"/>`);
    assert.equal(encodeRoster([], "3").toString("jabber:client"), `<query xmlns="jabber:iq:roster" ver="3"/>`);
    assert.equal(encodeRoster([], undefined).toString("jabber:client"), `<query xmlns="jabber:iq:roster"/>`);
  });
});

describe("roster set validation (§2.3.3)", () => {
  test("one valid item is accepted, its JID prepared; subscription other than remove is ignored", () => {
    const r = validateRosterSet(query("<item jid='Romeo@Example.NET' name='R' subscription='both'><group>A</group><group>B</group></item>"), owner);
    assert.equal(r.kind, "update");
    assert.equal(r.contact.toString(), "romeo@example.net");
    if (r.kind === "update") assert.deepEqual([r.name, r.groups], ["R", ["A", "B"]]);
  });

  test("subscription='remove' is a removal", () => {
    const r = validateRosterSet(query("<item jid='romeo@example.net' subscription='remove'/>"), owner);
    assert.equal(r.kind, "remove");
  });

  test("an empty name counts as no name", () => {
    const r = validateRosterSet(query("<item jid='romeo@example.net' name=''/>"), owner);
    assert.ok(r.kind === "update" && r.name === undefined);
  });

  test("no item, or more than one, is bad-request", () => {
    rejects("", "bad-request");
    rejects("<item jid='a@example.net'/><item jid='b@example.net'/>", "bad-request");
  });

  test("a missing jid is bad-request; an invalid or full JID is jid-malformed", () => {
    rejects("<item name='x'/>", "bad-request");
    rejects("<item jid='a@b@c'/>", "jid-malformed");
    rejects("<item jid=''/>", "jid-malformed");
    rejects("<item jid='romeo@example.net/orchard'/>", "jid-malformed");
  });

  test("the user's own bare JID is not-allowed", () => {
    rejects("<item jid='Juliet@example.com'/>", "not-allowed");
  });

  test("duplicate groups are bad-request", () => {
    rejects("<item jid='romeo@example.net'><group>Friends</group><group>Friends</group></item>", "bad-request");
  });

  test("an empty group, an over-long group or an over-long name is not-acceptable", () => {
    rejects("<item jid='romeo@example.net'><group></group></item>", "not-acceptable");
    rejects("<item jid='romeo@example.net'><group>  </group></item>", "not-acceptable");
    rejects(`<item jid='romeo@example.net'><group>${"g".repeat(MAX_GROUP_LENGTH + 1)}</group></item>`, "not-acceptable");
    rejects(`<item jid='romeo@example.net' name='${"n".repeat(MAX_NAME_LENGTH + 1)}'/>`, "not-acceptable");
  });

  test("lengths count characters, not UTF-16 units", () => {
    const r = validateRosterSet(query(`<item jid='romeo@example.net' name='${"😀".repeat(MAX_NAME_LENGTH)}'/>`), owner);
    assert.equal(r.kind, "update");
  });
});
