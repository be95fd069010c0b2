// RFC 6120 §4-5: stream headers, features, STARTTLS, Direct TLS, restarts, keepalives and closing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const HEADER = (to: string, extra = "") =>
  `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${to}' version='1.0'${extra}>`;

describe("streams", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
    await ts.createUser("romeo");
  });
  after(() => ts.stop());

  test("before TLS the only feature is required STARTTLS", async () => {
    const c = await ts.connect({ security: "plain" });
    assert.equal(c.streamHeader?.attrs.from, "example.com");
    assert.equal(c.streamHeader?.attrs.version, "1.0");
    assert.ok(c.streamHeader?.attrs.id);
    assert.equal(
      c.features?.toString("jabber:client"),
      `<features xmlns="http://etherx.jabber.org/streams"><starttls xmlns="urn:ietf:params:xml:ns:xmpp-tls"><required/></starttls></features>`,
    );
  });

  test("after STARTTLS the stream restarts and offers SASL, with channel binding", async () => {
    const c = await ts.connect();
    assert.equal(c.features?.getChild("starttls"), undefined);
    assert.deepEqual(c.mechanisms(), ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"]);
    const cb = c.features?.getChild("sasl-channel-binding", "urn:xmpp:sasl-cb:0");
    assert.deepEqual(cb?.getChildren("channel-binding").map((b) => b.attrs.type), ["tls-exporter", "tls-server-end-point"]);
  });

  test("Direct TLS (XEP-0368) offers SASL at once", async () => {
    const c = await ts.connect({ security: "direct" });
    assert.equal(c.features?.getChild("starttls"), undefined);
    assert.ok(c.mechanisms().includes("SCRAM-SHA-1"));
    await c.authenticate("romeo", "correct horse battery");
    assert.match(await c.bind(), /^romeo@example\.com\//);
  });

  test("after SASL the features offer binding and the legacy session", async () => {
    const c = await ts.connect();
    await c.authenticate("romeo", "correct horse battery");
    assert.ok(c.features?.getChild("bind", "urn:ietf:params:xml:ns:xmpp-bind"));
    assert.ok(c.features?.getChild("session", "urn:ietf:params:xml:ns:xmpp-session")?.getChild("optional"));
    assert.equal(c.features?.getChild("mechanisms"), undefined);
  });

  test("an unknown host gets <host-unknown/>", async () => {
    const d = await rawStream(ts, HEADER("elsewhere.example"));
    assert.match(d, /<stream:error><host-unknown xmlns="urn:ietf:params:xml:ns:xmpp-streams"\/>/);
    assert.match(d, /<\/stream:stream>$/);
  });

  test("a wrong default namespace gets <invalid-namespace/>", async () => {
    const d = await rawStream(
      ts,
      `<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>`,
    );
    assert.match(d, /<invalid-namespace /);
  });

  test("a header without version 1.0 gets <unsupported-version/>", async () => {
    const d = await rawStream(
      ts,
      `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com'>`,
    );
    assert.match(d, /<unsupported-version /);
  });

  test("a root element other than stream:stream gets a stream error", async () => {
    const d = await rawStream(ts, `<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>`);
    assert.match(d, /<stream:error><(invalid-namespace|bad-format|not-well-formed) /);
  });

  test("xml:lang is answered", async () => {
    const d = await rawStream(ts, HEADER("example.com", " xml:lang='fr'"), 300);
    assert.match(d, /xml:lang='fr'/);
  });

  test("whitespace keepalives between stanzas are harmless", async () => {
    const c = await ts.login("romeo");
    for (let i = 0; i < 5; i++) c.sendRaw(" \n\t ");
    c.send("<iq type='set' id='s1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
    await c.receives("<iq type='result' id='s1'/>");
  });

  test("the client closing its stream gets the server's closing tag", async () => {
    const c = await ts.login("romeo");
    c.send("</stream:stream>");
    await c.closed();
    assert.equal(c.error, undefined);
  });

  test("STARTTLS on an encrypted stream fails and closes it", async () => {
    const c = await ts.connect();
    c.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    await c.receives("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    await c.closed();
  });

  test("SASL before TLS is refused with <encryption-required/>", async () => {
    const c = await ts.connect({ security: "plain" });
    c.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>biwsbj1yb21lbyxyPWFiYw==</auth>");
    await c.receives("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><encryption-required/></failure>");
  });
});

describe("streams with plaintext allowed", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ configure: (c) => (c.tls.policy = "optional") });
    await ts.createUser("romeo");
  });
  after(() => ts.stop());

  test("STARTTLS is offered but not required, and PLAIN is never offered in the clear", async () => {
    const c = await ts.connect({ security: "plain" });
    assert.ok(c.features?.getChild("starttls"));
    assert.equal(c.features?.getChild("starttls")?.getChild("required"), undefined);
    assert.deepEqual(c.mechanisms(), ["SCRAM-SHA-256", "SCRAM-SHA-1"]);
    c.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from("\0romeo\0correct horse battery").toString("base64")}</auth>`);
    await c.receives("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><invalid-mechanism/></failure>");
    await c.authenticate("romeo", "correct horse battery", "SCRAM-SHA-1");
    assert.match(await c.bind("plain"), /romeo@example\.com\/plain/);
  });
});

describe("timeouts", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({
      configure: (c) => {
        c.limits.authTimeoutSeconds = 1;
        c.limits.idleTimeoutSeconds = 2;
      },
    });
    await ts.createUser("romeo");
  });
  after(() => ts.stop());

  test("a stream that does not authenticate in time is closed with <connection-timeout/>", async () => {
    const c = await ts.connect();
    await c.closed(4000);
    assert.equal(c.error, "connection-timeout");
  });

  test("an authenticated stream that stays silent is closed as idle", async () => {
    const c = await ts.login("romeo");
    await c.closed(5000);
    assert.equal(c.error, "connection-timeout");
  });
});

/** Sends raw bytes on a fresh TCP connection and returns everything the server answers until it closes. */
async function rawStream(ts: TestServer, data: string, waitMs = 2000): Promise<string> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const s = connect(ts.port, "127.0.0.1", () => s.write(data));
    let got = "";
    const t = setTimeout(() => {
      s.destroy();
      resolve(got);
    }, waitMs);
    s.on("data", (d) => (got += d.toString()));
    s.on("close", () => {
      clearTimeout(t);
      resolve(got);
    });
  });
}
