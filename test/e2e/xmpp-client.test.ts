// End to end with a client nobody here wrote (@xmpp/client): STARTTLS + SCRAM, mutual subscription,
// chat, and a message kept while its recipient is offline.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { client, xml, type Client } from "@xmpp/client";
import { startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";

// @xmpp/client has no option for a private CA; it runs in this file's own process, so verification is
// switched off here and the server's certificate is checked by hand after connecting instead.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

type Stanza = ReturnType<typeof xml>;

class Person {
  readonly xmpp: Client;
  readonly inbox: Stanza[] = [];
  private waiters: { match: (s: Stanza) => boolean; resolve: (s: Stanza) => void }[] = [];

  constructor(ts: TestServer, username: string, resource: string) {
    this.xmpp = client({
      service: `xmpp://127.0.0.1:${ts.port}`,
      domain: ts.host,
      resource,
      username,
      password: TEST_PASSWORD,
    });
    this.xmpp.on("error", () => undefined);
    this.xmpp.on("stanza", (s: Stanza) => {
      const i = this.waiters.findIndex((w) => w.match(s));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(s);
      else this.inbox.push(s);
    });
  }

  /** Resolves with the first stanza (already received or still to come) that matches. */
  waitFor(match: (s: Stanza) => boolean, ms = 5000): Promise<Stanza> {
    const i = this.inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("timed out waiting for a stanza")), ms);
      this.waiters.push({ match, resolve: (s) => (clearTimeout(t), resolve(s)) });
    });
  }

  async rosterItem(jid: string): Promise<Stanza | undefined> {
    const res = await this.xmpp.iqCaller.get(xml("query", { xmlns: "jabber:iq:roster" }));
    return res.getChildren("item").find((i: Stanza) => i.attrs.jid === jid);
  }
}

describe("@xmpp/client end to end", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
    await ts.createUser("alice");
    await ts.createUser("bob");
  });
  after(() => ts.stop());

  test("two users subscribe, chat, and a message waits for its offline recipient", async () => {
    const alice = new Person(ts, "alice", "laptop");
    const bob = new Person(ts, "bob", "phone");
    const aliceJid = await alice.xmpp.start();
    await bob.xmpp.start();
    assert.equal(aliceJid.toString(), "alice@example.com/laptop");

    const peer = (alice.xmpp as unknown as { socket: { socket: { getPeerCertificate(raw: boolean): { raw: Buffer }; encrypted?: boolean } } }).socket.socket;
    assert.equal(peer.encrypted, true);
    assert.equal(new X509Certificate(peer.getPeerCertificate(true).raw).fingerprint256, new X509Certificate(ts.ca).fingerprint256);

    await alice.xmpp.send(xml("presence"));
    await bob.xmpp.send(xml("presence"));

    // Alice asks to see Bob's presence; Bob approves and asks back; Alice approves.
    await alice.xmpp.send(xml("presence", { to: "bob@example.com", type: "subscribe" }));
    await bob.waitFor((s) => s.is("presence") && s.attrs.type === "subscribe" && s.attrs.from === "alice@example.com");
    await bob.xmpp.send(xml("presence", { to: "alice@example.com", type: "subscribed" }));
    await bob.xmpp.send(xml("presence", { to: "alice@example.com", type: "subscribe" }));
    await alice.waitFor((s) => s.is("presence") && s.attrs.type === "subscribe" && s.attrs.from === "bob@example.com");
    await alice.xmpp.send(xml("presence", { to: "bob@example.com", type: "subscribed" }));

    await alice.waitFor((s) => s.is("presence") && !s.attrs.type && s.attrs.from === "bob@example.com/phone");
    await bob.waitFor((s) => s.is("presence") && !s.attrs.type && s.attrs.from === "alice@example.com/laptop");
    assert.equal((await alice.rosterItem("bob@example.com"))?.attrs.subscription, "both");
    assert.equal((await bob.rosterItem("alice@example.com"))?.attrs.subscription, "both");

    await alice.xmpp.send(xml("message", { to: "bob@example.com", type: "chat" }, xml("body", {}, "Hello Bob")));
    const got = await bob.waitFor((s) => s.is("message") && s.getChildText("body") === "Hello Bob");
    assert.equal(got.attrs.from, "alice@example.com/laptop");
    await bob.xmpp.send(xml("message", { to: "alice@example.com/laptop", type: "chat" }, xml("body", {}, "Hi Alice")));
    await alice.waitFor((s) => s.is("message") && s.getChildText("body") === "Hi Alice");

    // Bob leaves; Alice sees him go and writes anyway.
    await bob.xmpp.stop();
    await alice.waitFor((s) => s.is("presence") && s.attrs.type === "unavailable" && s.attrs.from === "bob@example.com/phone");
    await alice.xmpp.send(xml("message", { to: "bob@example.com", type: "chat" }, xml("body", {}, "Call me when you are back")));

    // Bob returns and receives it, stamped with when it was stored.
    const bobAgain = new Person(ts, "bob", "phone");
    await bobAgain.xmpp.start();
    await bobAgain.xmpp.send(xml("presence"));
    const offline = await bobAgain.waitFor((s) => s.is("message") && s.getChildText("body") === "Call me when you are back");
    assert.equal(offline.attrs.from, "alice@example.com/laptop");
    const delay = offline.getChild("delay", "urn:xmpp:delay");
    assert.ok(delay, "offline message carries a XEP-0203 delay");
    assert.ok(Date.now() - Date.parse(delay.attrs.stamp ?? "") < 60_000);

    await alice.xmpp.stop();
    await bobAgain.xmpp.stop();
  });
});
