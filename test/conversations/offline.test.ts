// XEP-0160: messages for users with no available resource are stored and delivered, with an XEP-0203 delay, at the next available presence.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { available, receivesMessage, receivesNoMessage } from "./support/presence.ts";

const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("offline messages (XEP-0160)", () => {
  let ts: TestServer;
  let n = 0;
  async function newUser(): Promise<string> {
    const name = `off${++n}`;
    await ts.createUser(name);
    return name;
  }

  before(async () => {
    ts = await startTestServer({ configure: (c) => (c.limits.offlineMaxPerUser = 3) });
    await ts.createUser("romeo");
  });
  after(() => ts.stop());

  test("stored while offline, delivered oldest first with a delay at the next available presence, then gone", async () => {
    const u = await newUser();
    const romeo = await ts.login("romeo", { resource: "orchard" });
    const sentAt = Date.now();
    romeo.send(`<message type='chat' to='${u}@example.com' id='o1'><body>first</body></message>`);
    romeo.send(`<message to='${u}@example.com/phone' id='o2'><body>second</body></message>`);
    await receivesNoMessage(romeo, 200);
    assert.equal(await ts.server.storage.offline.count("example.com", u), 2);

    const c = await ts.login(u, { resource: "desk" });
    await receivesNoMessage(c, 100); // bound but not available: nothing yet
    await available(ts, c, 0);
    const first = await receivesMessage(
      c,
      `<message type='chat' id='o1' from='romeo@example.com/orchard' to='${u}@example.com'><body>first</body><delay xmlns='urn:xmpp:delay' from='example.com' stamp='*'/></message>`,
    );
    await receivesMessage(
      c,
      `<message id='o2' from='romeo@example.com/orchard' to='${u}@example.com/phone'><body>second</body><delay xmlns='urn:xmpp:delay' from='example.com' stamp='*'/></message>`,
    );
    const stamp = first.getChild("delay", "urn:xmpp:delay")!.attrs.stamp!;
    assert.match(stamp, STAMP);
    assert.ok(Math.abs(Date.parse(stamp) - sentAt) < 5000, stamp);
    assert.equal(await ts.server.storage.offline.count("example.com", u), 0);

    const again = await ts.login(u, { resource: "laptop" });
    await available(ts, again, 0);
    await receivesNoMessage(again);
  });

  test("headline, chat states alone and no-store messages are not stored", async () => {
    const u = await newUser();
    const romeo = await ts.login("romeo");
    romeo.send(`<message type='headline' to='${u}@example.com' id='h1'><body>news</body></message>`);
    romeo.send(`<message type='chat' to='${u}@example.com' id='h2'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`);
    romeo.send(`<message type='chat' to='${u}@example.com' id='h3'><body>secret</body><no-store xmlns='urn:xmpp:hints'/></message>`);
    await receivesNoMessage(romeo, 200);
    assert.equal(await ts.server.storage.offline.count("example.com", u), 0);
    const c = await ts.login(u);
    await available(ts, c, 0);
    await receivesNoMessage(c);
  });

  test("a message to an account that does not exist gets service-unavailable", async () => {
    const romeo = await ts.login("romeo");
    romeo.send("<message type='chat' to='nobody@example.com' id='x1'><body>hello?</body></message>");
    await receivesMessage(
      romeo,
      `<message type='error' id='x1' from='nobody@example.com'><body>hello?</body><error type='cancel'><service-unavailable xmlns='${STANZAS}'/><etc/></error></message>`,
    );
  });

  test("over the per-user limit: service-unavailable and nothing more is stored", async () => {
    const u = await newUser();
    const romeo = await ts.login("romeo");
    for (let i = 1; i <= 3; i++) romeo.send(`<message type='chat' to='${u}@example.com' id='l${i}'><body>${i}</body></message>`);
    romeo.send(`<message type='chat' to='${u}@example.com' id='l4'><body>4</body></message>`);
    await receivesMessage(romeo, `<message type='error' id='l4' from='${u}@example.com'><body>4</body><error type='cancel'><service-unavailable xmlns='${STANZAS}'/><etc/></error></message>`);
    assert.equal(await ts.server.storage.offline.count("example.com", u), 3);
  });

  test("a first presence with negative priority does not take the stored messages", async () => {
    const u = await newUser();
    const romeo = await ts.login("romeo");
    romeo.send(`<message type='chat' to='${u}@example.com' id='n1'><body>wait</body></message>`);
    await receivesNoMessage(romeo, 200);
    const neg = await ts.login(u, { resource: "neg" });
    await available(ts, neg, -1);
    await receivesNoMessage(neg);
    assert.equal(await ts.server.storage.offline.count("example.com", u), 1);
    const pos = await ts.login(u, { resource: "pos" });
    await available(ts, pos, 0);
    await receivesMessage(pos, "<message type='chat' id='n1'><body>wait</body><delay xmlns='urn:xmpp:delay' from='example.com' stamp='*'/></message>");
  });
});

describe("offline storage switched off (limit 0)", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ configure: (c) => (c.limits.offlineMaxPerUser = 0) });
    await ts.createUser("romeo");
    await ts.createUser("juliet");
  });
  after(() => ts.stop());

  test("a chat to an offline user bounces with service-unavailable", async () => {
    const romeo = await ts.login("romeo");
    romeo.send("<message type='chat' to='juliet@example.com' id='z1'><body>hi</body></message>");
    await receivesMessage(romeo, `<message type='error' id='z1' from='juliet@example.com'><body>hi</body><error type='cancel'><service-unavailable xmlns='${STANZAS}'/><etc/></error></message>`);
    assert.equal(await ts.server.storage.offline.count("example.com", "juliet"), 0);
  });
});
