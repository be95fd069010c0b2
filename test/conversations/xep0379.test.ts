// XEP-0379 pre-approved subscriptions, and the roster side of roster+ibr registrations (invites.md §8, test-cases.md G, D39–D40).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Element } from "../../src/xml/element.ts";
import type { TestServer } from "../helpers/server.ts";
import type { RawClient } from "../helpers/raw-client.ts";
import { ROSTER, online, subscribed } from "./support/roster.ts";
import { CLI, INVALID_TOKEN, NEW_PASSWORD, PARS, errorPattern, fresh, invitesOf, preauth, preauthXml, register, withServer } from "./support/invites.ts";

const push = (item: string) => `<iq type='set'><query xmlns='${ROSTER}'>${item}</query></iq>`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A contact invite `inviter` made for themselves, as a user does through ad-hoc. */
async function contactToken(ts: TestServer, inviter: string, opts: { ibr?: boolean; ttlSeconds?: number } = {}): Promise<string> {
  const creator = opts.ibr ? CLI : { by: `${inviter}@${ts.host}`, isAdmin: false };
  const created = await invitesOf(ts).createContact({
    host: ts.host,
    creator,
    inviter,
    allowRegistration: opts.ibr ?? false,
    ttlSeconds: opts.ttlSeconds,
  });
  return created.token;
}

function subscribeWith(to: string, token: string): string {
  return `<presence type='subscribe' to='${to}'><preauth xmlns='${PARS}' token='${token}'/></presence>`;
}

async function usable(ts: TestServer, inviter: string, token: string): Promise<boolean> {
  return (await invitesOf(ts).validateContact(ts.host, inviter, token)) !== undefined;
}

/** The sender's own roster push, then the request reaches the contact as a normal one, token stripped. */
async function manualFlow(sender: RawClient, contact: RawClient, senderJid: string): Promise<void> {
  await sender.receives(push(`<item jid='romeo@example.com' subscription='none' ask='subscribe'/>`));
  const req = await contact.receives(`<presence type='subscribe' from='${senderJid}' to='romeo@example.com'/>`);
  assert.equal(req.getChild("preauth", PARS), undefined, "the token is not passed on");
  await sender.receivesNothing();
}

describe("XEP-0379 pre-approved subscriptions", () => {
  test("a valid token: approved, pushed, answered `subscribed`, then asked back; the token is used (G56)", () =>
    withServer(["romeo", "juliet", "bob"], async (ts) => {
      const token = await contactToken(ts, "romeo");
      const romeo = await online(ts, "romeo", "orchard");
      const juliet = await online(ts, "juliet", "balcony");
      juliet.send(subscribeWith("romeo@example.com", token));
      const got = await juliet.receivesAll([
        push(`<item jid='romeo@example.com' subscription='none' ask='subscribe'/>`),
        `<presence type='subscribed' from='romeo@example.com' to='juliet@example.com'/>`,
        push(`<item jid='romeo@example.com' subscription='to'/>`),
        `<presence from='romeo@example.com/orchard' to='juliet@example.com'/>`,
        `<presence type='subscribe' from='romeo@example.com' to='juliet@example.com'/>`,
      ]);
      const at = (type: string) => got.findIndex((e: Element) => e.name === "presence" && e.attrs.type === type);
      assert.ok(at("subscribed") < at("subscribe"), "subscribed first, then subscribe, as from Prosody");
      // Romeo's client sees the roster change; the request itself never needed him.
      const pushes = await romeo.receivesAll([
        push(`<item jid='juliet@example.com' subscription='from'/>`),
        push(`<item jid='juliet@example.com' subscription='from' ask='subscribe'/>`),
      ]);
      for (const p of pushes) assert.equal(p.getChild("query")?.getChild("item")?.attrs.name, undefined, "no name");
      await romeo.receivesNothing();
      await juliet.receivesNothing();
      const item = await ts.server.storage.rosters.getItem(ts.host, "romeo", "juliet@example.com");
      assert.deepEqual([item?.subscription, item?.ask, item?.approved], ["from", true, false]);
      assert.equal(await usable(ts, "romeo", token), false, "used up");

      // Juliet approves the request back: both.
      juliet.send(`<presence type='subscribed' to='romeo@example.com'/>`);
      await romeo.receivesAll([
        `<presence type='subscribed' from='juliet@example.com' to='romeo@example.com'/>`,
        push(`<item jid='juliet@example.com' subscription='both'/>`),
        `<presence from='juliet@example.com/balcony' to='romeo@example.com'/>`,
      ]);
      const both = await ts.server.storage.rosters.getItem(ts.host, "juliet", "romeo@example.com");
      assert.equal(both?.subscription, "both");

      // G59: the same token from someone else is an ordinary request.
      const bob = await online(ts, "bob", "desk");
      bob.send(subscribeWith("romeo@example.com", token));
      await manualFlow(bob, romeo, "bob@example.com");
    }));

  test("another user's token: no approval; the request is an ordinary one; that token stays good (G57)", () =>
    withServer(["romeo", "juliet", "alice"], async (ts) => {
      const token = await contactToken(ts, "alice");
      const romeo = await online(ts, "romeo", "orchard");
      const juliet = await online(ts, "juliet", "balcony");
      juliet.send(subscribeWith("romeo@example.com", token));
      await manualFlow(juliet, romeo, "juliet@example.com");
      assert.ok(await usable(ts, "alice", token));
      const stored = await ts.server.storage.rosters.listPendingIn(ts.host, "romeo");
      assert.equal(stored.length, 1);
      assert.ok(!stored[0]!.stanza.includes(token), "the stored request does not keep the token");
    }));

  test("invalid, expired or missing tokens: the ordinary flow, no error to the sender, nothing used (G58)", () =>
    withServer(["romeo", "juliet", "bob", "paris"], async (ts) => {
      const expired = await contactToken(ts, "romeo", { ttlSeconds: 0.2 });
      const good = await contactToken(ts, "romeo");
      await sleep(300);
      const romeo = await online(ts, "romeo", "orchard");
      const cases: [string, string][] = [
        ["juliet", subscribeWith("romeo@example.com", expired)],
        ["bob", subscribeWith("romeo@example.com", "AAAAAAAAAAAAAAAAAAAAAAAA")],
        ["paris", `<presence type='subscribe' to='romeo@example.com'><preauth xmlns='${PARS}'/></presence>`],
      ];
      for (const [user, stanza] of cases) {
        const c = await online(ts, user, "r");
        c.send(stanza);
        await manualFlow(c, romeo, `${user}@example.com`);
      }
      assert.ok(await usable(ts, "romeo", good));
    }));

  test("already subscribed to the sender: no second `subscribe` (G60)", () =>
    withServer(["romeo", "juliet"], async (ts) => {
      await subscribed(ts, "romeo", "juliet", "to");
      await subscribed(ts, "juliet", "romeo", "from");
      const token = await contactToken(ts, "romeo");
      const romeo = await online(ts, "romeo", "orchard");
      const juliet = await online(ts, "juliet", "balcony");
      // Each gets the other's initial presence as far as the subscription allows.
      await romeo.receives(`<presence from='juliet@example.com/balcony'/>`);
      juliet.send(subscribeWith("romeo@example.com", token));
      await juliet.receivesAll([
        push(`<item jid='romeo@example.com' subscription='from' ask='subscribe'/>`),
        `<presence type='subscribed' from='romeo@example.com' to='juliet@example.com'/>`,
        push(`<item jid='romeo@example.com' subscription='both'/>`),
        `<presence from='romeo@example.com/orchard' to='juliet@example.com'/>`,
      ]);
      await romeo.receives(push(`<item jid='juliet@example.com' subscription='both'/>`));
      await juliet.receivesNothing();
      await romeo.receivesNothing();
    }));

  test("a token used for a subscription no longer registers (D40)", () =>
    withServer(["romeo", "juliet"], async (ts) => {
      const token = await contactToken(ts, "romeo", { ibr: true });
      const juliet = await online(ts, "juliet", "balcony");
      juliet.send(subscribeWith("romeo@example.com", token));
      await juliet.receivesAll([
        push(`<item jid='romeo@example.com' subscription='none' ask='subscribe'/>`),
        `<presence type='subscribed' from='romeo@example.com' to='juliet@example.com'/>`,
        push(`<item jid='romeo@example.com' subscription='to'/>`),
        `<presence type='subscribe' from='romeo@example.com' to='juliet@example.com'/>`,
      ]);
      const c = await fresh(ts);
      c.send(preauthXml("p", token));
      await c.receives(errorPattern("p", "cancel", "forbidden", INVALID_TOKEN));
    }));
});

describe("registration with a roster+ibr invite", () => {
  test("both rosters hold each other with `both`, no names; the online inviter gets the push (G61, D39)", () =>
    withServer(["romeo", "bob"], async (ts) => {
      const token = await contactToken(ts, "romeo", { ibr: true });
      const romeo = await online(ts, "romeo", "orchard");
      const c = await fresh(ts);
      await preauth(c, token);
      await register(c, "juliet");
      let item: Element | undefined;
      while (item?.attrs.subscription !== "both") {
        const p = await romeo.receives(push(`<item jid='juliet@example.com'/>`));
        item = p.getChild("query")!.getChild("item");
        assert.equal(item?.attrs.name, undefined, "no name");
      }
      const mine = await ts.server.storage.rosters.getItem(ts.host, "romeo", "juliet@example.com");
      const theirs = await ts.server.storage.rosters.getItem(ts.host, "juliet", "romeo@example.com");
      assert.deepEqual([mine?.subscription, mine?.name, theirs?.subscription, theirs?.name], ["both", undefined, "both", undefined]);

      // The invitee sees the inviter at the first roster fetch.
      const juliet = await ts.login("juliet", { password: NEW_PASSWORD });
      juliet.send(`<iq type='get' id='r'><query xmlns='${ROSTER}'/></iq>`);
      await juliet.receives(`<iq type='result' id='r'><query xmlns='${ROSTER}'><item jid='romeo@example.com' subscription='both'/></query></iq>`);

      // D39: the token is used up for subscriptions too.
      const bob = await online(ts, "bob", "desk");
      bob.send(subscribeWith("romeo@example.com", token));
      await manualFlow(bob, romeo, "bob@example.com");
    }));

  test("inviter deleted before the invitee registers: the account is made, without contacts (G62, §15.3)", () =>
    withServer(["romeo"], async (ts) => {
      const ibr = await contactToken(ts, "romeo", { ibr: true });
      const contactOnly = await contactToken(ts, "romeo");
      const early = await fresh(ts);
      await preauth(early, ibr);
      const romeo = await ts.login("romeo");
      romeo.send(`<iq type='set' id='rm'><query xmlns='jabber:iq:register'><remove/></query></iq>`);
      await romeo.receives(`<iq type='result' id='rm'/>`);
      await romeo.closed();
      // Validated before the deletion, registered after it.
      await register(early, "juliet");
      assert.deepEqual((await ts.server.storage.rosters.getRoster(ts.host, "juliet")).items, []);
      assert.equal(await ts.server.storage.rosters.getItem(ts.host, "romeo", "juliet@example.com"), undefined);
      // The contact-only invite died with the account.
      assert.equal(await usable(ts, "romeo", contactOnly), false);
    }));
});
