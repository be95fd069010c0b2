// Token brute force (invites.md §15.1, test-cases.md K91): per-stream and per-address limits on failed tokens.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { freshIp, startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";
import { tokenThrottleFor } from "../../src/modules/invites/token-throttle.ts";
import { ROSTER } from "./support/roster.ts";
import { CLI, INVALID_TOKEN, PARS, accountInvite, errorPattern, invitesOf, preauth, preauthXml, register, accountExists } from "./support/invites.ts";

const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const TOO_MANY = "Too many invalid invite tokens from this address; try again later";
const guess = () => randomBytes(18).toString("base64url");

describe("brute force on invite tokens", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
    await ts.createUser("romeo");
    await ts.createUser("juliet");
  });
  after(() => ts.stop());

  test("a stream is closed with policy-violation after its fifth failed PREAUTH", async () => {
    const c = await ts.connect({ localAddress: freshIp() });
    c.send(Array.from({ length: 7 }, (_, i) => preauthXml(`g${i}`, guess())).join(""));
    for (let i = 0; i < 5; i++) await c.receives(errorPattern(`g${i}`, "cancel", "forbidden", INVALID_TOKEN));
    await c.closed();
    assert.equal(c.error, "policy-violation");
  });

  test("1,000 guesses from one address: after ten, wait/policy-violation without a look; other addresses unaffected (K91)", async () => {
    const ip = freshIp();
    const counts = { forbidden: 0, throttled: 0, closed: 0 };
    let attempts = 0;
    while (attempts < 1000) {
      const c = await ts.connect({ localAddress: ip });
      c.send(Array.from({ length: 5 }, (_, i) => preauthXml(`g${i}`, guess())).join(""));
      for (let i = 0; i < 5; i++) {
        const r = await c.next();
        const err = r.getChild("error");
        assert.equal(r.attrs.id, `g${i}`);
        if (err?.attrs.type === "cancel" && err.getChild("forbidden", STANZAS)) counts.forbidden++;
        else if (err?.attrs.type === "wait" && err.getChild("policy-violation", STANZAS)) {
          assert.equal(err.getChildText("text", STANZAS), TOO_MANY);
          counts.throttled++;
        } else assert.fail(`unexpected answer ${r.toString()}`);
      }
      attempts += 5;
      await c.closed();
      if (c.error === "policy-violation") counts.closed++;
    }
    assert.deepEqual(counts, { forbidden: 10, throttled: 990, closed: 200 });

    // A valid token from the throttled address is refused the same way, and not looked at.
    const token = await accountInvite(ts);
    const blocked = await ts.connect({ localAddress: ip });
    blocked.send(preauthXml("v", token));
    await blocked.receives(errorPattern("v", "wait", "policy-violation", TOO_MANY));
    // From elsewhere it works.
    const other = await ts.connect({ localAddress: freshIp() });
    await preauth(other, token);
    await register(other, "survivor");
    assert.ok(await accountExists(ts, "survivor"));
  });

  test("one throttle for every surface: failures counted elsewhere block PREAUTH and XEP-0379 approval", async () => {
    const ip = freshIp();
    const throttle = tokenThrottleFor(ts.server.config);
    for (let i = 0; i < ts.server.config.invites.tokenFailures.max; i++) throttle.fail(ip);

    const token = await accountInvite(ts);
    const c = await ts.connect({ localAddress: ip });
    c.send(preauthXml("p", token));
    await c.receives(errorPattern("p", "wait", "policy-violation", TOO_MANY));

    // Juliet, from the blocked address, with a valid contact token of Romeo's: an ordinary request, token unused.
    const contact = await invitesOf(ts).createContact({ host: ts.host, creator: CLI, inviter: "romeo", allowRegistration: false });
    const juliet = await ts.connect({ localAddress: ip });
    await juliet.authenticate("juliet", TEST_PASSWORD);
    await juliet.bind();
    juliet.send(`<iq type='get' id='r'><query xmlns='${ROSTER}'/></iq>`);
    await juliet.receives(`<iq type='result' id='r'><query xmlns='${ROSTER}'/></iq>`);
    juliet.send(`<presence type='subscribe' to='romeo@example.com'><preauth xmlns='${PARS}' token='${contact.token}'/></presence>`);
    await juliet.receives(`<iq type='set'><query xmlns='${ROSTER}'><item jid='romeo@example.com' subscription='none' ask='subscribe'/></query></iq>`);
    await juliet.receivesNothing();
    assert.ok(await invitesOf(ts).validateContact(ts.host, "romeo", contact.token), "not used");
    assert.ok(await ts.server.storage.rosters.hasPendingIn(ts.host, "romeo", "juliet@example.com"), "waits for Romeo");
  });
});
