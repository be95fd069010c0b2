// XEP-0199 ping, XEP-0092 version, XEP-0202 time, XEP-0054 vcard-temp, XEP-0049 private storage, and RFC 6120 §8.2.3 / RFC 6121 §8.5 IQ routing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const err = (type: string, condition: string) => `<error type='${type}'><${condition} xmlns='${STANZAS}'/><etc/></error>`;

describe("simple server IQs", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
    await ts.createUser("romeo");
    await ts.createUser("juliet");
  });
  after(() => ts.stop());

  describe("XEP-0199 ping", () => {
    test("to the server: an empty result", async () => {
      const c = await ts.login("romeo", { resource: "orchard" });
      c.send("<iq type='get' id='p1' to='example.com'><ping xmlns='urn:xmpp:ping'/></iq>");
      const r = await c.receives("<iq type='result' id='p1' from='example.com' to='romeo@example.com/orchard'/>");
      assert.equal(r.children.length, 0);
    });

    test("to one's own bare JID: an empty result from it", async () => {
      const c = await ts.login("romeo");
      c.send("<iq type='get' id='p2' to='romeo@example.com'><ping xmlns='urn:xmpp:ping'/></iq>");
      await c.receives("<iq type='result' id='p2' from='romeo@example.com'/>");
    });

    test("to another user's bare JID: service-unavailable", async () => {
      const c = await ts.login("romeo");
      c.send("<iq type='get' id='p3' to='juliet@example.com'><ping xmlns='urn:xmpp:ping'/></iq>");
      await c.receives(`<iq type='error' id='p3' from='juliet@example.com'>${err("cancel", "service-unavailable")}</iq>`);
    });
  });

  test("XEP-0092: name Hearth, the package version, no os", async () => {
    const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
    const c = await ts.login("romeo");
    c.send("<iq type='get' id='v1' to='example.com'><query xmlns='jabber:iq:version'/></iq>");
    await c.receives(
      `<iq type='result' id='v1' from='example.com'><query xmlns='jabber:iq:version'><name>Hearth</name><version>${version}</version></query></iq>`,
    );
  });

  test("XEP-0202: UTC time with tzo Z, close to now", async () => {
    const c = await ts.login("romeo");
    const before = Date.now();
    c.send("<iq type='get' id='t1' to='example.com'><time xmlns='urn:xmpp:time'/></iq>");
    const r = await c.receives("<iq type='result' id='t1' from='example.com'><time xmlns='urn:xmpp:time'><tzo>Z</tzo><utc>*</utc></time></iq>");
    const utc = r.getChild("time")!.getChildText("utc")!;
    assert.match(utc, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const t = Date.parse(utc);
    assert.ok(t >= before - 1000 && t <= Date.now() + 1000, utc);
  });

  describe("XEP-0054 vcard-temp", () => {
    test("own vCard: empty at first, then what was set, then another user reads it", async () => {
      await ts.createUser("mercutio");
      const m = await ts.login("mercutio");
      m.send("<iq type='get' id='vc1'><vCard xmlns='vcard-temp'/></iq>");
      const empty = await m.receives("<iq type='result' id='vc1'><vCard xmlns='vcard-temp'/></iq>");
      assert.equal(empty.getChild("vCard")!.children.length, 0);

      m.send("<iq type='set' id='vc2'><vCard xmlns='vcard-temp'><FN>Mercutio</FN><NICKNAME>Queen Mab</NICKNAME></vCard></iq>");
      await m.receives("<iq type='result' id='vc2'/>");

      m.send("<iq type='get' id='vc3'><vCard xmlns='vcard-temp'/></iq>");
      await m.receives("<iq type='result' id='vc3'><vCard xmlns='vcard-temp'><FN>Mercutio</FN><NICKNAME>Queen Mab</NICKNAME></vCard></iq>");

      const r = await ts.login("romeo");
      r.send("<iq type='get' id='vc4' to='mercutio@example.com'><vCard xmlns='vcard-temp'/></iq>");
      await r.receives("<iq type='result' id='vc4' from='mercutio@example.com'><vCard xmlns='vcard-temp'><FN>Mercutio</FN><NICKNAME>Queen Mab</NICKNAME></vCard></iq>");
    });

    test("another user's missing vCard and a missing user answer alike: service-unavailable", async () => {
      await ts.createUser("tybalt");
      const r = await ts.login("romeo");
      r.send("<iq type='get' id='vc5' to='tybalt@example.com'><vCard xmlns='vcard-temp'/></iq>");
      await r.receives(`<iq type='error' id='vc5' from='tybalt@example.com'>${err("cancel", "service-unavailable")}</iq>`);
      r.send("<iq type='get' id='vc6' to='nobody@example.com'><vCard xmlns='vcard-temp'/></iq>");
      await r.receives(`<iq type='error' id='vc6' from='nobody@example.com'>${err("cancel", "service-unavailable")}</iq>`);
    });

    test("setting someone else's vCard is forbidden", async () => {
      const r = await ts.login("romeo");
      r.send("<iq type='set' id='vc7' to='juliet@example.com'><vCard xmlns='vcard-temp'><FN>Not Juliet</FN></vCard></iq>");
      await r.receives(`<iq type='error' id='vc7'>${err("auth", "forbidden")}</iq>`);
    });

    test("a vCard over 64 KiB is not-acceptable and not stored", async () => {
      const j = await ts.login("juliet");
      j.send(`<iq type='set' id='vc8'><vCard xmlns='vcard-temp'><DESC>${"x".repeat(70 * 1024)}</DESC></vCard></iq>`);
      await j.receives(`<iq type='error' id='vc8'>${err("modify", "not-acceptable")}</iq>`);
      assert.equal(await ts.server.storage.vcards.get("example.com", "juliet"), undefined);
    });
  });

  describe("XEP-0049 private XML storage", () => {
    test("store, read back, and an unknown fragment comes back empty", async () => {
      const c = await ts.login("romeo");
      c.send("<iq type='set' id='pr1'><query xmlns='jabber:iq:private'><exodus xmlns='exodus:prefs'><defaultnick>Hamlet</defaultnick></exodus></query></iq>");
      await c.receives("<iq type='result' id='pr1'/>");
      c.send("<iq type='get' id='pr2'><query xmlns='jabber:iq:private'><exodus xmlns='exodus:prefs'/></query></iq>");
      await c.receives(
        "<iq type='result' id='pr2'><query xmlns='jabber:iq:private'><exodus xmlns='exodus:prefs'><defaultnick>Hamlet</defaultnick></exodus></query></iq>",
      );
      c.send("<iq type='get' id='pr3'><query xmlns='jabber:iq:private'><other xmlns='exodus:prefs'/></query></iq>");
      const r = await c.receives("<iq type='result' id='pr3'><query xmlns='jabber:iq:private'><other xmlns='exodus:prefs'/></query></iq>");
      assert.equal(r.getChild("query")!.getChild("other")!.children.length, 0);
    });

    test("another user's data is forbidden, to read and to write", async () => {
      const c = await ts.login("juliet");
      c.send("<iq type='get' id='pr4' to='romeo@example.com'><query xmlns='jabber:iq:private'><exodus xmlns='exodus:prefs'/></query></iq>");
      await c.receives(`<iq type='error' id='pr4'>${err("auth", "forbidden")}</iq>`);
      c.send("<iq type='set' id='pr5' to='romeo@example.com'><query xmlns='jabber:iq:private'><exodus xmlns='exodus:prefs'><defaultnick>Macbeth</defaultnick></exodus></query></iq>");
      await c.receives(`<iq type='error' id='pr5'>${err("auth", "forbidden")}</iq>`);
    });

    test("reserved namespaces, no namespace and an empty query are not-acceptable", async () => {
      const c = await ts.login("romeo");
      c.send("<iq type='set' id='pr6'><query xmlns='jabber:iq:private'><x xmlns='jabber:client'/></query></iq>");
      await c.receives(`<iq type='error' id='pr6'>${err("modify", "not-acceptable")}</iq>`);
      c.send("<iq type='get' id='pr7'><query xmlns='jabber:iq:private'><x xmlns='jabber:server'/></query></iq>");
      await c.receives(`<iq type='error' id='pr7'>${err("modify", "not-acceptable")}</iq>`);
      c.send("<iq type='set' id='pr8'><query xmlns='jabber:iq:private'><x/></query></iq>");
      await c.receives(`<iq type='error' id='pr8'>${err("modify", "not-acceptable")}</iq>`);
      c.send("<iq type='get' id='pr9'><query xmlns='jabber:iq:private'/></iq>");
      await c.receives(`<iq type='error' id='pr9'>${err("modify", "not-acceptable")}</iq>`);
    });
  });

  describe("IQ routing", () => {
    test("an IQ nobody handles gets service-unavailable", async () => {
      const c = await ts.login("romeo");
      c.send("<iq type='get' id='u1' to='example.com'><query xmlns='urn:example:unknown'/></iq>");
      await c.receives(`<iq type='error' id='u1' from='example.com'>${err("cancel", "service-unavailable")}</iq>`);
      c.send("<iq type='set' id='u2'><query xmlns='urn:example:unknown'/></iq>");
      await c.receives(`<iq type='error' id='u2'>${err("cancel", "service-unavailable")}</iq>`);
    });

    test("an IQ with two payloads is a bad-request", async () => {
      const c = await ts.login("romeo");
      c.send("<iq type='get' id='b1' to='example.com'><ping xmlns='urn:xmpp:ping'/><time xmlns='urn:xmpp:time'/></iq>");
      await c.receives(`<iq type='error' id='b1'>${err("modify", "bad-request")}</iq>`);
    });

    test("an IQ to another user's full JID reaches that resource, and its answer comes back", async () => {
      const r = await ts.login("romeo", { resource: "orchard" });
      const j = await ts.login("juliet", { resource: "balcony" });
      r.send("<iq type='get' id='f1' to='juliet@example.com/balcony'><query xmlns='jabber:iq:version'/></iq>");
      await j.receives("<iq type='get' id='f1' from='romeo@example.com/orchard' to='juliet@example.com/balcony'><query xmlns='jabber:iq:version'/></iq>");
      j.send("<iq type='result' id='f1' to='romeo@example.com/orchard'><query xmlns='jabber:iq:version'><name>Balcony</name><version>1</version></query></iq>");
      await r.receives(
        "<iq type='result' id='f1' from='juliet@example.com/balcony' to='romeo@example.com/orchard'><query xmlns='jabber:iq:version'><name>Balcony</name><version>1</version></query></iq>",
      );
    });

    test("an IQ to a full JID that is not connected gets service-unavailable", async () => {
      const r = await ts.login("romeo");
      r.send("<iq type='get' id='f2' to='juliet@example.com/nowhere'><query xmlns='jabber:iq:version'/></iq>");
      await r.receives(`<iq type='error' id='f2' from='juliet@example.com/nowhere'>${err("cancel", "service-unavailable")}</iq>`);
    });
  });
});
