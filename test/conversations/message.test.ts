// RFC 6121 §8.5: delivery of messages to local bare and full JIDs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { available, receivesMessage, receivesNoMessage } from "./support/presence.ts";

const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

describe("message delivery (RFC 6121 §8.5)", () => {
  let ts: TestServer;
  let n = 0;
  /** A fresh recipient account per test, so offline queues and resources do not leak between tests. */
  async function newUser(): Promise<string> {
    const name = `user${++n}`;
    await ts.createUser(name);
    return name;
  }

  before(async () => {
    ts = await startTestServer();
    await ts.createUser("romeo");
  });
  after(() => ts.stop());

  test("chat to the bare JID goes to the available resource with the highest priority only", async () => {
    const u = await newUser();
    const low = await ts.login(u, { resource: "low" });
    const high = await ts.login(u, { resource: "high" });
    await available(ts, low, 1);
    await available(ts, high, 5);
    const romeo = await ts.login("romeo", { resource: "orchard" });
    romeo.send(`<message type='chat' to='${u}@example.com' id='m1'><body>Wherefore art thou?</body></message>`);
    await receivesMessage(high, `<message type='chat' id='m1' from='romeo@example.com/orchard' to='${u}@example.com'><body>Wherefore art thou?</body></message>`);
    await receivesNoMessage(low);
  });

  test("resources sharing the top priority all get a normal message", async () => {
    const u = await newUser();
    const [a, b, c] = [await ts.login(u, { resource: "a" }), await ts.login(u, { resource: "b" }), await ts.login(u, { resource: "c" })];
    await available(ts, a, 3);
    await available(ts, b, 3);
    await available(ts, c, 1);
    const romeo = await ts.login("romeo");
    romeo.send(`<message to='${u}@example.com' id='m2'><body>to both</body></message>`);
    await receivesMessage(a, "<message id='m2'><body>to both</body></message>");
    await receivesMessage(b, "<message id='m2'><body>to both</body></message>");
    await receivesNoMessage(c);
  });

  test("headline to the bare JID goes to every non-negative available resource", async () => {
    const u = await newUser();
    const [a, b, neg] = [await ts.login(u, { resource: "a" }), await ts.login(u, { resource: "b" }), await ts.login(u, { resource: "neg" })];
    const unavailable = await ts.login(u, { resource: "quiet" });
    await available(ts, a, 2);
    await available(ts, b, 0);
    await available(ts, neg, -1);
    const romeo = await ts.login("romeo");
    romeo.send(`<message type='headline' to='${u}@example.com' id='m3'><body>news</body></message>`);
    await receivesMessage(a, "<message type='headline' id='m3'><body>news</body></message>");
    await receivesMessage(b, "<message type='headline' id='m3'><body>news</body></message>");
    await receivesNoMessage(neg);
    await receivesNoMessage(unavailable, 50);
  });

  test("resources with negative priority never get bare-JID chat; it is stored instead", async () => {
    const u = await newUser();
    const neg = await ts.login(u, { resource: "neg" });
    await available(ts, neg, -1);
    const romeo = await ts.login("romeo");
    romeo.send(`<message type='chat' to='${u}@example.com' id='m4'><body>later</body></message>`);
    await receivesNoMessage(neg);
    await receivesNoMessage(romeo, 50);
    assert.equal(await ts.server.storage.offline.count("example.com", u), 1);
  });

  test("groupchat to a bare JID is answered with service-unavailable, even with a resource online", async () => {
    const u = await newUser();
    const a = await ts.login(u, { resource: "a" });
    await available(ts, a, 1);
    const romeo = await ts.login("romeo");
    romeo.send(`<message type='groupchat' to='${u}@example.com' id='m5'><body>room?</body></message>`);
    await receivesMessage(
      romeo,
      `<message type='error' id='m5' from='${u}@example.com'><body>room?</body><error type='cancel'><service-unavailable xmlns='${STANZAS}'/><etc/></error></message>`,
    );
    await receivesNoMessage(a);
  });

  test("a full JID gets what is addressed to it, even unavailable or with negative priority", async () => {
    const u = await newUser();
    const quiet = await ts.login(u, { resource: "quiet" });
    const neg = await ts.login(u, { resource: "neg" });
    await available(ts, neg, -5);
    const romeo = await ts.login("romeo");
    romeo.send(`<message type='chat' to='${u}@example.com/quiet' id='m6'><body>psst</body></message>`);
    await receivesMessage(quiet, `<message type='chat' id='m6' to='${u}@example.com/quiet'><body>psst</body></message>`);
    romeo.send(`<message type='groupchat' to='${u}@example.com/neg' id='m7'><body>from a room</body></message>`);
    await receivesMessage(neg, "<message type='groupchat' id='m7'><body>from a room</body></message>");
  });

  test("a full JID with no such resource: chat falls back to the bare JID's best resource", async () => {
    const u = await newUser();
    const a = await ts.login(u, { resource: "a" });
    await available(ts, a, 0);
    const romeo = await ts.login("romeo");
    romeo.send(`<message type='chat' to='${u}@example.com/gone' id='m8'><body>still there?</body></message>`);
    await receivesMessage(a, `<message type='chat' id='m8' to='${u}@example.com/gone'><body>still there?</body></message>`);
  });

  test("a full JID with no such resource: groupchat gets service-unavailable, error is dropped", async () => {
    const u = await newUser();
    const a = await ts.login(u, { resource: "a" });
    await available(ts, a, 0);
    const romeo = await ts.login("romeo");
    romeo.send(`<message type='groupchat' to='${u}@example.com/gone' id='m9'><body>x</body></message>`);
    await receivesMessage(romeo, `<message type='error' id='m9' from='${u}@example.com/gone'><body>x</body><error type='cancel'><service-unavailable xmlns='${STANZAS}'/><etc/></error></message>`);
    romeo.send(`<message type='error' to='${u}@example.com/gone' id='m10'><error type='cancel'><item-not-found xmlns='${STANZAS}'/></error></message>`);
    await receivesNoMessage(a);
    await receivesNoMessage(romeo, 50);
  });

  test("an error message to a bare JID is dropped, online or not, and never stored", async () => {
    const u = await newUser();
    const romeo = await ts.login("romeo");
    romeo.send(`<message type='error' to='${u}@example.com' id='m11'><error type='cancel'><item-not-found xmlns='${STANZAS}'/></error></message>`);
    const a = await ts.login(u, { resource: "a" });
    await available(ts, a, 0);
    romeo.send(`<message type='error' to='${u}@example.com' id='m12'><error type='cancel'><item-not-found xmlns='${STANZAS}'/></error></message>`);
    await receivesNoMessage(a);
    await receivesNoMessage(romeo, 50);
    assert.equal(await ts.server.storage.offline.count("example.com", u), 0);
  });

  test("a message without 'to' goes to the sender's own bare JID", async () => {
    const u = await newUser();
    const a = await ts.login(u, { resource: "a" });
    const b = await ts.login(u, { resource: "b" });
    await available(ts, a, 1);
    await available(ts, b, 9);
    a.send("<message type='chat' id='m13'><body>note to self</body></message>");
    await receivesMessage(b, `<message type='chat' id='m13' from='${u}@example.com/a'><body>note to self</body></message>`);
    await receivesNoMessage(a);
  });
});
