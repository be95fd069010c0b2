// Hostile and broken input: each gets the protocol's own error and harms no other session.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";
import type { RawClient } from "../helpers/raw-client.ts";
import { waitFor } from "../helpers/wait.ts";

describe("bad input", () => {
  let ts: TestServer;
  let bystander: RawClient;
  before(async () => {
    ts = await startTestServer();
    await ts.createUser("romeo");
    await ts.createUser("mallory");
    bystander = await ts.login("romeo", { resource: "bystander" });
  });
  after(() => ts.stop());

  /** The bystander's session still answers: bad input elsewhere changed nothing for it. */
  async function bystanderStillWorks(): Promise<void> {
    const id = `alive${Math.random().toString(36).slice(2, 8)}`;
    bystander.send(`<iq type='set' id='${id}'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>`);
    await bystander.receives(`<iq type='result' id='${id}'/>`);
  }

  async function closesWith(c: RawClient, condition: string, data: string): Promise<void> {
    c.sendRaw(data);
    await c.closed();
    assert.equal(c.error, condition);
    await bystanderStillWorks();
  }

  let mallory: RawClient;
  beforeEach(async () => {
    mallory = await ts.login("mallory");
  });

  test("malformed XML gets <not-well-formed/>", async () => {
    await closesWith(mallory, "not-well-formed", "<message to='romeo@example.com'><body>hi</message>");
  });

  test("a billion-laughs entity bomb gets <restricted-xml/>, expanding nothing", async () => {
    const c = await ts.connect({ security: "plain" });
    const bomb =
      `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
      `<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><message>&lol3;</message>`;
    const before = process.memoryUsage().rss;
    await closesWith(c, "restricted-xml", bomb);
    assert.ok(process.memoryUsage().rss - before < 50 * 1024 * 1024);
  });

  test("an undefined entity gets <not-well-formed/> (or restricted-xml), never expansion", async () => {
    mallory.sendRaw("<message to='romeo@example.com'><body>&xxe;</body></message>");
    await mallory.closed();
    assert.ok(["not-well-formed", "restricted-xml"].includes(mallory.error!), mallory.error);
    await bystanderStillWorks();
  });

  test("a comment or processing instruction gets <restricted-xml/>", async () => {
    await closesWith(mallory, "restricted-xml", "<!-- hello -->");
    const c = await ts.login("mallory");
    await closesWith(c, "restricted-xml", "<?evil stuff?>");
  });

  test("an oversized stanza gets <policy-violation/>, cut off before it is all read", async () => {
    mallory.sendRaw(`<message to='romeo@example.com'><body>`);
    const chunk = "a".repeat(16 * 1024);
    for (let i = 0; i < 40 && !mallory.isClosed; i++) {
      mallory.sendRaw(chunk);
      await new Promise((r) => setImmediate(r));
    }
    await mallory.closed();
    assert.equal(mallory.error, "policy-violation");
    await bystanderStillWorks();
  });

  test("too deep nesting gets <policy-violation/>", async () => {
    await closesWith(mallory, "policy-violation", `<message>${"<a>".repeat(100)}`);
  });

  test("too many attributes get <policy-violation/>", async () => {
    const attrs = Array.from({ length: 200 }, (_, i) => `a${i}='x'`).join(" ");
    await closesWith(mallory, "policy-violation", `<message ${attrs}/>`);
  });

  test("a spoofed from gets <invalid-from/>", async () => {
    await closesWith(mallory, "invalid-from", "<message from='romeo@example.com/bystander' to='romeo@example.com'><body>it is me</body></message>");
  });

  test("a from naming the sender itself is accepted", async () => {
    mallory.send(`<iq type='set' id='s1' from='${mallory.jid}'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>`);
    await mallory.receives("<iq type='result' id='s1'/>");
  });

  test("a malformed JID gets <jid-malformed/> and the stream stays open", async () => {
    mallory.send("<message id='m1' to='a@b@c/'><body>hi</body></message>");
    await mallory.receives(
      "<message type='error' id='m1'><body>hi</body><error type='modify'><jid-malformed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><etc/></error></message>",
    );
    mallory.send("<iq type='set' id='s2'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
    await mallory.receives("<iq type='result' id='s2'/>");
  });

  test("an IQ without an id, or with two payloads, gets <bad-request/>", async () => {
    mallory.send("<iq type='get' id='two'><ping xmlns='urn:xmpp:ping'/><ping xmlns='urn:xmpp:ping'/></iq>");
    await mallory.receives("<iq type='error' id='two'><error type='modify'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><etc/></error></iq>");
    mallory.send("<iq type='nonsense' id='t1'><ping xmlns='urn:xmpp:ping'/></iq>");
    await mallory.receives("<iq type='error' id='t1'><error type='modify'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><etc/></error></iq>");
  });

  test("an element that is not a stanza gets <unsupported-stanza-type/>", async () => {
    await closesWith(mallory, "unsupported-stanza-type", "<foo xmlns='jabber:client'/>");
  });

  test("stanzas before authentication get <not-authorized/>", async () => {
    const c = await ts.connect();
    await closesWith(c, "not-authorized", "<message to='romeo@example.com'><body>hi</body></message>");
  });

  test("a client that disconnects mid-stanza is cleaned up", async () => {
    const c = await ts.login("mallory", { resource: "midway" });
    c.sendRaw("<message to='romeo@example.com'><body>half a mess");
    c.socket.destroy();
    await waitFor(() => !ts.server.sessions.hasResource("mallory@example.com", "midway"));
    await bystanderStillWorks();
    const again = await ts.login("mallory", { resource: "midway" });
    assert.equal(again.jid, "mallory@example.com/midway");
  });

  test("garbage bytes before the stream header are refused", async () => {
    const c = await ts.connect({ security: "plain" });
    await closesWith(c, "not-well-formed", "\u0000\u0001 garbage");
  });

  test("a wrong password changes nothing for the account", async () => {
    const c = await ts.connect();
    await assert.rejects(c.authenticate("romeo", "wrong"), /not-authorized/);
    const d = await ts.connect();
    await d.authenticate("romeo", TEST_PASSWORD);
    await bystanderStillWorks();
  });
});
