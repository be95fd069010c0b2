// RFC 6120 §7: resource binding, with Hearth's conflict policy: the newest connection keeps the resource.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";
import { waitFor } from "../helpers/wait.ts";

const BIND = "urn:ietf:params:xml:ns:xmpp-bind";

describe("resource binding", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
    await ts.createUser("romeo");
  });
  after(() => ts.stop());

  async function authenticated() {
    const c = await ts.connect();
    await c.authenticate("romeo", TEST_PASSWORD);
    return c;
  }

  test("a client-chosen resource is bound as asked", async () => {
    const c = await authenticated();
    c.send(`<iq type='set' id='b1'><bind xmlns='${BIND}'><resource>balcony</resource></bind></iq>`);
    await c.receives(`<iq type='result' id='b1'><bind xmlns='${BIND}'><jid>romeo@example.com/balcony</jid></bind></iq>`);
  });

  test("without a resource the server makes one up", async () => {
    const c = await authenticated();
    c.send(`<iq type='set' id='b2'><bind xmlns='${BIND}'/></iq>`);
    const r = await c.receives(`<iq type='result' id='b2'><bind xmlns='${BIND}'><jid>*</jid></bind></iq>`);
    assert.match(r.getChild("bind")!.getChildText("jid")!, /^romeo@example\.com\/[A-Za-z0-9_-]{8}$/);
  });

  test("a resource that is not valid gets <bad-request/>", async () => {
    const c = await authenticated();
    c.send(`<iq type='set' id='b3'><bind xmlns='${BIND}'><resource>${"x".repeat(1100)}</resource></bind></iq>`);
    await c.receives(`<iq type='error' id='b3'><error type='modify'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><etc/></error></iq>`);
  });

  test("several resources of one account are bound side by side", async () => {
    const a = await ts.login("romeo", { resource: "one" });
    const b = await ts.login("romeo", { resource: "two" });
    assert.equal(a.jid, "romeo@example.com/one");
    assert.equal(b.jid, "romeo@example.com/two");
    const resources = [...ts.server.sessions.resources("romeo@example.com")].map((s) => s.jid!.resource).sort();
    assert.ok(resources.includes("one") && resources.includes("two"));
  });

  test("binding a resource already in use replaces the older session with <conflict/>", async () => {
    const old = await ts.login("romeo", { resource: "phone" });
    const fresh = await ts.login("romeo", { resource: "phone" });
    await old.closed();
    assert.equal(old.error, "conflict");
    fresh.send("<iq type='set' id='s1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
    await fresh.receives("<iq type='result' id='s1'/>");
    assert.equal([...ts.server.sessions.resources("romeo@example.com")].filter((s) => s.jid!.resource === "phone").length, 1);
  });

  test("the legacy session IQ is accepted before and after binding", async () => {
    const c = await authenticated();
    c.send("<iq type='set' id='s0'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
    await c.receives("<iq type='result' id='s0'/>");
    await c.bind();
    c.send("<iq type='set' id='s1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
    await c.receives("<iq type='result' id='s1'/>");
  });

  test("a message before binding closes the stream with <not-authorized/>", async () => {
    const c = await authenticated();
    c.send("<message to='romeo@example.com'><body>too early</body></message>");
    await c.closed();
    assert.equal(c.error, "not-authorized");
  });

  test("another IQ before binding gets <not-authorized/>", async () => {
    const c = await authenticated();
    c.send("<iq type='get' id='r0'><query xmlns='jabber:iq:roster'/></iq>");
    await c.receives("<iq type='error' id='r0'><error type='auth'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><etc/></error></iq>");
  });

  test("a closed session leaves the registry", async () => {
    const c = await ts.login("romeo", { resource: "gone" });
    assert.ok(ts.server.sessions.hasResource("romeo@example.com", "gone"));
    await c.close();
    await waitFor(() => !ts.server.sessions.hasResource("romeo@example.com", "gone"));
  });
});

