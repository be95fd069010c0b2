// One single-use token registered at the same moment through the web form and through XMPP (PREAUTH, then IBR):
// exactly one account, the loser told the token is gone (invites.md §9.3; prosody-observed D2 fixed).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { HttpApi } from "../../src/http/types.ts";
import { freshIp, startTestServer, type TestServer } from "../helpers/server.ts";
import { accountInvite, NEW_PASSWORD, preauth, registerXml, STANZAS } from "../conversations/support/invites.ts";
import { GOOD_PASSWORD, requester, type Requester } from "./register-support.ts";

let ts: TestServer;
let r: Requester;
before(async () => {
  ts = await startTestServer({
    configure: (c) => {
      c.http.trustedProxies = ["127.0.0.1"];
      c.http.rateLimit = { max: 100_000, windowSeconds: 60 };
    },
  });
  r = requester(ts.server.modules.api<HttpApi>("http")!);
});
after(() => ts.stop());

test("web form and XMPP IBR race for one single-use token: exactly one account, every time", async (t) => {
  const wins = { web: 0, xmpp: 0 };
  for (let round = 0; round < 8; round++) {
    const token = await accountInvite(ts);
    const c = await ts.connect({ localAddress: freshIp() });
    await preauth(c, token);
    const webUser = `web${round}`;
    const xmppUser = `xmpp${round}`;
    // Both fired together: the IQ is on the wire while the POST is being handled.
    c.send(registerXml("race", xmppUser, NEW_PASSWORD));
    const [web, iq] = await Promise.all([
      r.submit({ token, user: webUser, password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD }),
      c.next(10_000),
    ]);
    const webWon = await ts.server.storage.accounts.exists(ts.host, webUser);
    const xmppWon = await ts.server.storage.accounts.exists(ts.host, xmppUser);
    assert.equal(Number(webWon) + Number(xmppWon), 1, `round ${round}: exactly one account`);
    if (webWon) {
      wins.web++;
      assert.equal(web.status, 200);
      assert.ok((await web.text()).includes(`${webUser}@${ts.host}`));
      assert.equal(iq.attrs.type, "error", iq.toString());
      const err = iq.getChild("error");
      assert.equal(err?.attrs.type, "cancel");
      assert.ok(err?.getChild("forbidden", STANZAS), iq.toString());
    } else {
      wins.xmpp++;
      assert.equal(iq.attrs.type, "result", iq.toString());
      // The web side lost: the landing page, which says the invite is no longer valid.
      assert.equal(web.status, 303);
      assert.equal(web.headers.get("location"), `/invite/${token}/`);
    }
    await c.close();
  }
  assert.equal(wins.web + wins.xmpp, 8);
  t.diagnostic(`won by the web form ${wins.web} times, by XMPP ${wins.xmpp} times`);
});
