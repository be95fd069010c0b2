// XEP-0030: service discovery on the domain and on accounts.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import type { DiscoApi } from "../../src/modules/disco/index.ts";
import { defaultModules } from "../../src/modules/index.ts";
import { defineModule } from "../../src/core/module.ts";

const INFO = "http://jabber.org/protocol/disco#info";
const ITEMS = "http://jabber.org/protocol/disco#items";
const COMMANDS = "http://jabber.org/protocol/commands";
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

// A module using the disco API the way ad-hoc commands (XEP-0050) will: commands listed as items of a node.
const commandsProbe = defineModule({
  name: "commands-probe",
  depends: ["disco"],
  setup(ctx) {
    const disco = ctx.use<DiscoApi>("disco");
    const remove = disco.addItemsProvider(COMMANDS, (req) => [
      { jid: req.to.toString(), node: "urn:example:hello", name: `Hello ${req.from.local}` },
    ]);
    return { stop: remove };
  },
});

describe("service discovery", () => {
  let ts: TestServer;
  before(async () => {
    // Without the invite commands, so the commands node holds only the probe's item.
    ts = await startTestServer({ modules: [...defaultModules.filter((m) => m.name !== "invites-adhoc"), commandsProbe] });
    await ts.createUser("romeo");
    await ts.createUser("juliet");
    await ts.createUser("tybalt");
    // Juliet has granted Romeo a presence subscription; Tybalt none.
    await ts.server.storage.rosters.putItem("example.com", "juliet", {
      jid: "romeo@example.com",
      subscription: "from",
      ask: false,
      approved: false,
      groups: [],
    });
  });
  after(() => ts.stop());

  test("disco#info on the domain: server/im identity and the loaded modules' features", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='get' id='d1' to='example.com'><query xmlns='${INFO}'/></iq>`);
    const r = await c.receives(`<iq type='result' id='d1' from='example.com'><query xmlns='${INFO}'><identity category='server' type='im' name='Hearth'/><etc/></query></iq>`);
    const q = r.getChild("query")!;
    const features = q.getChildren("feature").map((f) => f.attrs.var);
    for (const f of [INFO, ITEMS, "msgoffline", "urn:xmpp:ping", "jabber:iq:version", "urn:xmpp:time", "vcard-temp"]) {
      assert.ok(features.includes(f), `missing ${f}`);
    }
    assert.equal(new Set(features).size, features.length, "no duplicate features");
    assert.equal(q.getChildren("identity").length, 1);
  });

  test("disco#items on the domain: an empty list for now", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='get' id='d2' to='example.com'><query xmlns='${ITEMS}'/></iq>`);
    const r = await c.receives(`<iq type='result' id='d2' from='example.com'><query xmlns='${ITEMS}'/></iq>`);
    assert.equal(r.getChild("query")!.children.length, 0);
  });

  test("an unknown node: item-not-found, for info and items", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='get' id='d3' to='example.com'><query xmlns='${INFO}' node='urn:example:nothing'/></iq>`);
    await c.receives(`<iq type='error' id='d3'><error type='cancel'><item-not-found xmlns='${STANZAS}'/><etc/></error></iq>`);
    c.send(`<iq type='get' id='d4' to='example.com'><query xmlns='${ITEMS}' node='urn:example:nothing'/></iq>`);
    await c.receives(`<iq type='error' id='d4'><error type='cancel'><item-not-found xmlns='${STANZAS}'/><etc/></error></iq>`);
  });

  test("a node added through the API lists its items, per requester, with the node echoed", async () => {
    const c = await ts.login("juliet");
    c.send(`<iq type='get' id='d5' to='example.com'><query xmlns='${ITEMS}' node='${COMMANDS}'/></iq>`);
    await c.receives(
      `<iq type='result' id='d5'><query xmlns='${ITEMS}' node='${COMMANDS}'><item jid='example.com' node='urn:example:hello' name='Hello juliet'/></query></iq>`,
    );
  });

  test("disco#info on one's own account: account/registered and account features", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='get' id='d6' to='romeo@example.com'><query xmlns='${INFO}'/></iq>`);
    const r = await c.receives(
      `<iq type='result' id='d6' from='romeo@example.com'><query xmlns='${INFO}'><identity category='account' type='registered'/><etc/></query></iq>`,
    );
    const features = r.getChild("query")!.getChildren("feature").map((f) => f.attrs.var);
    for (const f of [INFO, "vcard-temp", "jabber:iq:private"]) assert.ok(features.includes(f), `missing ${f}`);
    assert.ok(!features.includes("msgoffline"), "domain features are not account features");
  });

  test("disco#items on one's own account: empty", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='get' id='d7'><query xmlns='${ITEMS}'/></iq>`);
    await c.receives(`<iq type='result' id='d7'><query xmlns='${ITEMS}'/></iq>`);
  });

  test("another account answers a contact it has granted a subscription to, and no one else", async () => {
    const romeo = await ts.login("romeo");
    romeo.send(`<iq type='get' id='d8' to='juliet@example.com'><query xmlns='${INFO}'/></iq>`);
    await romeo.receives(`<iq type='result' id='d8' from='juliet@example.com'><query xmlns='${INFO}'><identity category='account' type='registered'/><etc/></query></iq>`);

    const tybalt = await ts.login("tybalt");
    tybalt.send(`<iq type='get' id='d9' to='juliet@example.com'><query xmlns='${INFO}'/></iq>`);
    await tybalt.receives(`<iq type='error' id='d9' from='juliet@example.com'><error type='cancel'><service-unavailable xmlns='${STANZAS}'/><etc/></error></iq>`);
    tybalt.send(`<iq type='get' id='d10' to='nobody@example.com'><query xmlns='${INFO}'/></iq>`);
    await tybalt.receives(`<iq type='error' id='d10' from='nobody@example.com'><error type='cancel'><service-unavailable xmlns='${STANZAS}'/><etc/></error></iq>`);
  });
});
