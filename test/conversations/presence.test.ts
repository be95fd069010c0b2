// RFC 6121 §3 and §4: subscriptions (every transition, pre-approval, stored requests) and presence exchange.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { waitFor } from "../helpers/wait.ts";
import { ROSTER, mutual, online, subscribed, withServer } from "./support/roster.ts";

const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const push = (item: string) => `<iq type='set'><query xmlns='${ROSTER}'>${item}</query></iq>`;

describe("presence subscriptions (RFC 6121 §3)", () => {
  test("subscribe, subscribed, and back again: none → to/from → both, with pushes and presence", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const romeo = await online(ts, "romeo", "orchard");
      const juliet = await online(ts, "juliet", "balcony");

      // §3.1.1–3.1.3: Romeo asks; his item shows ask='subscribe'; Juliet gets the request, no roster item yet.
      romeo.send(`<presence id='sub1' to='juliet@example.com' type='subscribe'/>`);
      await romeo.receives(push(`<item jid='juliet@example.com' subscription='none' ask='subscribe'/>`));
      await juliet.receives(`<presence id='sub1' type='subscribe' from='romeo@example.com' to='juliet@example.com'/>`);
      await juliet.receivesNothing();

      // §3.1.4–3.1.6: Juliet approves; her item becomes 'from'; Romeo's becomes 'to' and he gets her presence.
      juliet.send(`<presence to='romeo@example.com' type='subscribed'/>`);
      await juliet.receives(push(`<item jid='romeo@example.com' subscription='from'/>`));
      await romeo.receivesAll([
        `<presence type='subscribed' from='juliet@example.com' to='romeo@example.com'/>`,
        push(`<item jid='juliet@example.com' subscription='to'/>`),
        `<presence from='juliet@example.com/balcony' to='romeo@example.com'/>`,
      ]);

      // And the other way round: From + Pending Out, To + Pending In, then Both.
      juliet.send(`<presence to='romeo@example.com' type='subscribe'/>`);
      await juliet.receives(push(`<item jid='romeo@example.com' subscription='from' ask='subscribe'/>`));
      await romeo.receives(`<presence type='subscribe' from='juliet@example.com' to='romeo@example.com'/>`);
      romeo.send(`<presence to='juliet@example.com' type='subscribed'/>`);
      await romeo.receives(push(`<item jid='juliet@example.com' subscription='both'/>`));
      await juliet.receivesAll([
        `<presence type='subscribed' from='romeo@example.com' to='juliet@example.com'/>`,
        push(`<item jid='romeo@example.com' subscription='both'/>`),
        `<presence from='romeo@example.com/orchard' to='juliet@example.com'/>`,
      ]);
      await romeo.receivesNothing();
      await juliet.receivesNothing();
      const stored = await ts.server.storage.rosters.getItem("example.com", "juliet", "romeo@example.com");
      assert.deepEqual([stored?.subscription, stored?.ask], ["both", false]);
    }));

  test("a request to a full JID is handled as one to the bare JID; a repeated request is not delivered twice", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const romeo = await online(ts, "romeo", "orchard");
      const juliet = await online(ts, "juliet", "balcony");
      romeo.send(`<presence to='juliet@example.com/balcony' type='subscribe'/>`);
      await romeo.receives(push(`<item jid='juliet@example.com' subscription='none' ask='subscribe'/>`));
      await juliet.receives(`<presence type='subscribe' from='romeo@example.com' to='juliet@example.com'/>`);
      // A.2.1: routed again (no state change on Romeo's side); A.3.1: None + Pending In, not delivered again.
      romeo.send(`<presence to='juliet@example.com' type='subscribe'/>`);
      await juliet.receivesNothing();
      await romeo.receivesNothing();
    }));

  test("a request waits for the contact: delivered at each login until answered (§3.1.3)", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const romeo = await online(ts, "romeo", "orchard");
      romeo.send(`<presence to='juliet@example.com' type='subscribe'><status>It is my lady</status></presence>`);
      await romeo.receives(push(`<item jid='juliet@example.com' subscription='none' ask='subscribe'/>`));

      const first = await online(ts, "juliet", "balcony");
      await first.receives(`<presence type='subscribe' from='romeo@example.com' to='juliet@example.com'><status>It is my lady</status></presence>`);
      await first.close();
      // Not answered: it comes again, and only once the resource is available.
      const second = await online(ts, "juliet", "chamber", { available: false });
      await second.receivesNothing();
      second.send("<presence/>");
      await second.receives(`<presence from='juliet@example.com/chamber'/>`);
      await second.receives(`<presence type='subscribe' from='romeo@example.com' to='juliet@example.com'><status>It is my lady</status></presence>`);
      second.send(`<presence to='romeo@example.com' type='subscribed'/>`);
      await second.receives(push(`<item jid='romeo@example.com' subscription='from'/>`));
      await romeo.receivesAll([
        `<presence type='subscribed' from='juliet@example.com'/>`,
        push(`<item jid='juliet@example.com' subscription='to'/>`),
        `<presence from='juliet@example.com/chamber'/>`,
      ]);
      await second.close();
      const third = await online(ts, "juliet", "garden");
      await third.receivesNothing();
    }));

  test("declining a request (unsubscribed) clears it on both sides", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const romeo = await online(ts, "romeo", "orchard");
      const juliet = await online(ts, "juliet", "balcony");
      romeo.send(`<presence to='juliet@example.com' type='subscribe'/>`);
      await romeo.receives(push(`<item jid='juliet@example.com' subscription='none' ask='subscribe'/>`));
      await juliet.receives(`<presence type='subscribe' from='romeo@example.com'/>`);
      juliet.send(`<presence to='romeo@example.com' type='unsubscribed'/>`);
      await romeo.receivesAll([
        `<presence type='unsubscribed' from='juliet@example.com' to='romeo@example.com'/>`,
        push(`<item jid='juliet@example.com' subscription='none'/>`),
      ]);
      await juliet.receivesNothing(); // she never had an item for him
      assert.deepEqual(await ts.server.storage.rosters.listPendingIn("example.com", "juliet"), []);
      await juliet.close();
      const again = await online(ts, "juliet", "chamber");
      await again.receivesNothing();
    }));

  test("a request withdrawn (unsubscribe) before the answer is forgotten", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const romeo = await online(ts, "romeo", "orchard");
      romeo.send(`<presence to='juliet@example.com' type='subscribe'/>`);
      await romeo.receives(push(`<item jid='juliet@example.com' subscription='none' ask='subscribe'/>`));
      romeo.send(`<presence to='juliet@example.com' type='unsubscribe'/>`);
      await romeo.receives(push(`<item jid='juliet@example.com' subscription='none'/>`));
      assert.deepEqual(await ts.server.storage.rosters.listPendingIn("example.com", "juliet"), []);
      const juliet = await online(ts, "juliet", "balcony");
      await juliet.receivesNothing();
    }));

  test("unsubscribe from both: the user keeps 'from', the contact keeps 'to' and sends unavailable", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      await mutual(ts, "juliet", "romeo");
      const juliet = await online(ts, "juliet", "balcony");
      const romeo = await online(ts, "romeo", "orchard");
      await juliet.receives(`<presence from='romeo@example.com/orchard'/>`);
      await romeo.receives(`<presence from='juliet@example.com/balcony'/>`);

      romeo.send(`<presence to='juliet@example.com' type='unsubscribe'/>`);
      await romeo.receivesAll([
        push(`<item jid='juliet@example.com' subscription='from'/>`),
        // §3.3.3: Juliet's server sends unavailable from her resources to her former subscriber.
        `<presence type='unavailable' from='juliet@example.com/balcony' to='romeo@example.com'/>`,
      ]);
      await juliet.receivesAll([
        `<presence type='unsubscribe' from='romeo@example.com' to='juliet@example.com'/>`,
        push(`<item jid='romeo@example.com' subscription='to'/>`),
      ]);
      // Juliet's later presence no longer reaches Romeo; Romeo's still reaches her.
      juliet.send(`<presence><show>away</show></presence>`);
      await juliet.receives(`<presence from='juliet@example.com/balcony'><show>away</show></presence>`);
      await romeo.receivesNothing();
      romeo.send(`<presence><show>dnd</show></presence>`);
      await romeo.receives(`<presence from='romeo@example.com/orchard'><show>dnd</show></presence>`);
      await juliet.receives(`<presence from='romeo@example.com/orchard' to='juliet@example.com'><show>dnd</show></presence>`);
    }));

  test("cancelling a subscription (unsubscribed from both): unavailable first, then the cancellation", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      await mutual(ts, "juliet", "romeo");
      const juliet = await online(ts, "juliet", "balcony");
      const romeo = await online(ts, "romeo", "orchard");
      await juliet.receives(`<presence from='romeo@example.com/orchard'/>`);
      await romeo.receives(`<presence from='juliet@example.com/balcony'/>`);

      juliet.send(`<presence to='romeo@example.com' type='unsubscribed'/>`);
      await juliet.receives(push(`<item jid='romeo@example.com' subscription='to'/>`));
      await romeo.receives(`<presence type='unavailable' from='juliet@example.com/balcony' to='romeo@example.com'/>`);
      await romeo.receivesAll([
        `<presence type='unsubscribed' from='juliet@example.com' to='romeo@example.com'/>`,
        push(`<item jid='juliet@example.com' subscription='from'/>`),
      ]);
      // A.2.4 / A.3.4: cancelling again changes nothing and is neither routed nor delivered.
      juliet.send(`<presence to='romeo@example.com' type='unsubscribed'/>`);
      await juliet.receivesNothing();
      await romeo.receivesNothing();
    }));

  test("stanzas that change nothing are dropped silently (A.3)", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const romeo = await online(ts, "romeo", "orchard");
      const juliet = await online(ts, "juliet", "balcony");
      // Romeo has no subscription to cancel and none to unsubscribe from; Juliet never asked.
      romeo.send(`<presence to='juliet@example.com' type='unsubscribe'/>`);
      romeo.send(`<presence to='juliet@example.com' type='unsubscribed'/>`);
      await juliet.receivesNothing();
      assert.deepEqual((await ts.server.storage.rosters.getRoster("example.com", "juliet")).items, []);
      // Juliet's roster has nothing for Romeo; an approval she did not ask for is not delivered.
      await subscribed(ts, "romeo", "juliet", "none");
      romeo.send(`<presence to='juliet@example.com' type='subscribe'/>`);
      await juliet.receives(`<presence type='subscribe' from='romeo@example.com'/>`);
    }));

  test("subscribe when already subscribed is answered by the server (A.3.1 'no *')", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      await subscribed(ts, "juliet", "romeo", "from");
      const juliet = await online(ts, "juliet", "balcony");
      const romeo = await online(ts, "romeo", "orchard");
      romeo.send(`<presence to='juliet@example.com' type='subscribe'/>`);
      await romeo.receivesAll([
        push(`<item jid='juliet@example.com' subscription='none' ask='subscribe'/>`),
        `<presence type='subscribed' from='juliet@example.com' to='romeo@example.com'/>`,
        push(`<item jid='juliet@example.com' subscription='to'/>`),
        `<presence from='juliet@example.com/balcony' to='romeo@example.com'/>`,
      ]);
      await juliet.receivesNothing();
    }));

  test("pre-approval (§3.4): approved before asked, the request is granted without reaching the user", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const juliet = await online(ts, "juliet", "balcony");
      juliet.send(`<presence to='romeo@example.com' type='subscribed'/>`);
      await juliet.receives(push(`<item jid='romeo@example.com' subscription='none' approved='true'/>`));
      const romeo = await online(ts, "romeo", "orchard");
      await romeo.receivesNothing(); // a pre-approval is not routed
      romeo.send(`<presence to='juliet@example.com' type='subscribe'/>`);
      await romeo.receivesAll([
        push(`<item jid='juliet@example.com' subscription='none' ask='subscribe'/>`),
        `<presence type='subscribed' from='juliet@example.com' to='romeo@example.com'/>`,
        push(`<item jid='juliet@example.com' subscription='to'/>`),
        `<presence from='juliet@example.com/balcony' to='romeo@example.com'/>`,
      ]);
      const item = await juliet.receives(push(`<item jid='romeo@example.com' subscription='from'/>`));
      assert.equal(item.getChild("query")?.getChild("item")?.attrs.approved, undefined);
      await juliet.receivesNothing();
    }));

  test("a pre-approval is cancelled by unsubscribed, silently", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const juliet = await online(ts, "juliet", "balcony");
      const romeo = await online(ts, "romeo", "orchard");
      juliet.send(`<presence to='romeo@example.com' type='subscribed'/>`);
      await juliet.receives(push(`<item jid='romeo@example.com' subscription='none' approved='true'/>`));
      juliet.send(`<presence to='romeo@example.com' type='unsubscribed'/>`);
      const p = await juliet.receives(push(`<item jid='romeo@example.com' subscription='none'/>`));
      assert.equal(p.getChild("query")?.getChild("item")?.attrs.approved, undefined);
      await romeo.receivesNothing();
      romeo.send(`<presence to='juliet@example.com' type='subscribe'/>`);
      await romeo.receives(push(`<item jid='juliet@example.com' subscription='none' ask='subscribe'/>`));
      await juliet.receives(`<presence type='subscribe' from='romeo@example.com'/>`);
    }));

  test("subscription stanzas for an account that does not exist vanish; the sender still records its ask", () =>
    withServer(["romeo"], async (ts) => {
      const romeo = await online(ts, "romeo", "orchard");
      romeo.send(`<presence to='rosaline@example.com' type='subscribe'/>`);
      await romeo.receives(push(`<item jid='rosaline@example.com' subscription='none' ask='subscribe'/>`));
      romeo.send(`<presence to='rosaline@example.com' type='probe'/>`);
      romeo.send(`<presence to='rosaline@example.com'/>`);
      await romeo.receivesNothing();
      assert.deepEqual(await ts.server.storage.rosters.listPendingIn("example.com", "rosaline"), []);
    }));
});

describe("presence exchange (RFC 6121 §4)", () => {
  test("initial presence: broadcast to subscribers, probes answered, own resources told both ways", () =>
    withServer(["juliet", "romeo", "nurse"], async (ts) => {
      await mutual(ts, "juliet", "romeo");
      await subscribed(ts, "juliet", "nurse", "from"); // the nurse sees Juliet, Juliet does not see the nurse
      await subscribed(ts, "nurse", "juliet", "to");
      const romeo = await online(ts, "romeo", "orchard");
      const nurse = await online(ts, "nurse", "kitchen");
      const chamber = await online(ts, "juliet", "chamber");
      await romeo.receives(`<presence from='juliet@example.com/chamber' to='romeo@example.com'/>`);
      await nurse.receives(`<presence from='juliet@example.com/chamber' to='nurse@example.com'/>`);
      await chamber.receives(`<presence from='romeo@example.com/orchard' to='juliet@example.com/chamber'/>`);

      const balcony = await ts.login("juliet", { resource: "balcony" });
      balcony.send(`<presence><show>chat</show><priority>5</priority></presence>`);
      await balcony.receivesAll([
        `<presence from='juliet@example.com/balcony'><show>chat</show><priority>5</priority></presence>`,
        // §4.3: Romeo grants Juliet a subscription, so his presence answers her probe; the nurse's does not.
        `<presence from='romeo@example.com/orchard' to='juliet@example.com/balcony'/>`,
        // her other resource, so the new one knows it
        `<presence from='juliet@example.com/chamber' to='juliet@example.com/balcony'/>`,
      ]);
      await balcony.receivesNothing();
      await chamber.receives(`<presence from='juliet@example.com/balcony' to='juliet@example.com/chamber'><show>chat</show><etc/></presence>`);
      await romeo.receives(`<presence from='juliet@example.com/balcony' to='romeo@example.com'><show>chat</show><etc/></presence>`);
      await nurse.receives(`<presence from='juliet@example.com/balcony' to='nurse@example.com'><show>chat</show><etc/></presence>`);
      const session = [...ts.server.sessions.resources("juliet@example.com")].find((s) => s.jid?.resource === "balcony");
      assert.equal(session?.priority, 5);
    }));

  test("a probe is answered only for a contact with a subscription from the prober, and only when online", () =>
    withServer(["juliet", "romeo", "tybalt"], async (ts) => {
      await mutual(ts, "juliet", "romeo");
      await subscribed(ts, "tybalt", "juliet", "to"); // Tybalt thinks so; Juliet's roster disagrees
      const juliet = await online(ts, "juliet", "balcony");
      const tybalt = await online(ts, "tybalt", "street");
      await tybalt.receivesNothing();
      tybalt.send(`<presence to='juliet@example.com' type='probe'/>`);
      await tybalt.receivesNothing();
      await juliet.receivesNothing(); // the server answers probes; clients never see them

      const romeo = await online(ts, "romeo", "orchard");
      await romeo.receives(`<presence from='juliet@example.com/balcony' to='romeo@example.com/orchard'/>`);
      // A client's probe leaves from its bare JID (§4.3.1), so the answer comes to the bare JID.
      romeo.send(`<presence to='juliet@example.com' type='probe'/>`);
      await romeo.receives(`<presence from='juliet@example.com/balcony' to='romeo@example.com'/>`);
      await juliet.receives(`<presence from='romeo@example.com/orchard' to='juliet@example.com'/>`);
      await juliet.close();
      await romeo.receives(`<presence type='unavailable' from='juliet@example.com/balcony'/>`);
      romeo.send(`<presence to='juliet@example.com' type='probe'/>`);
      await romeo.receivesNothing();
    }));

  test("updates go to subscribers and own resources only; presence to the bare JID reaches every available resource", () =>
    withServer(["juliet", "romeo", "benvolio"], async (ts) => {
      await mutual(ts, "juliet", "romeo");
      const balcony = await online(ts, "juliet", "balcony");
      const chamber = await online(ts, "juliet", "chamber");
      await balcony.receives(`<presence from='juliet@example.com/chamber'/>`);
      await chamber.receives(`<presence from='juliet@example.com/balcony'/>`);
      const hidden = await online(ts, "juliet", "hidden", { available: false });
      const benvolio = await online(ts, "benvolio", "square");
      const romeo = await online(ts, "romeo", "orchard");
      await romeo.receivesAll([`<presence from='juliet@example.com/balcony'/>`, `<presence from='juliet@example.com/chamber'/>`]);
      await balcony.receives(`<presence from='romeo@example.com/orchard' to='juliet@example.com'/>`);
      await chamber.receives(`<presence from='romeo@example.com/orchard' to='juliet@example.com'/>`);

      balcony.send(`<presence><show>away</show><status>On the balcony</status></presence>`);
      const update = `<presence from='juliet@example.com/balcony'><show>away</show><status>On the balcony</status></presence>`;
      await balcony.receives(update);
      await chamber.receives(update);
      await romeo.receives(update);
      await benvolio.receivesNothing();
      await hidden.receivesNothing(); // bound and interested, but not available
    }));

  test("unavailable presence: broadcast, echoed, and the next available presence is initial again", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      await mutual(ts, "juliet", "romeo");
      const romeo = await online(ts, "romeo", "orchard");
      const juliet = await online(ts, "juliet", "balcony");
      await juliet.receives(`<presence from='romeo@example.com/orchard'/>`);
      await romeo.receives(`<presence from='juliet@example.com/balcony'/>`);
      juliet.send(`<presence type='unavailable'><status>Gone to bed</status></presence>`);
      await juliet.receives(`<presence type='unavailable' from='juliet@example.com/balcony'><status>Gone to bed</status></presence>`);
      await romeo.receives(`<presence type='unavailable' from='juliet@example.com/balcony' to='romeo@example.com'><status>Gone to bed</status></presence>`);
      // While unavailable she gets no presence broadcasts…
      romeo.send(`<presence><show>xa</show></presence>`);
      await romeo.receives(`<presence from='romeo@example.com/orchard'><show>xa</show></presence>`);
      await juliet.receivesNothing();
      // …and coming back probes again.
      juliet.send(`<presence/>`);
      await juliet.receivesAll([
        `<presence from='juliet@example.com/balcony'/>`,
        `<presence from='romeo@example.com/orchard' to='juliet@example.com/balcony'><show>xa</show></presence>`,
      ]);
      await romeo.receives(`<presence from='juliet@example.com/balcony'/>`);
    }));

  test("a session that ends without unavailable presence is announced unavailable", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      await mutual(ts, "juliet", "romeo");
      const romeo = await online(ts, "romeo", "orchard");
      const juliet = await online(ts, "juliet", "balcony");
      const chamber = await online(ts, "juliet", "chamber");
      await juliet.receives(`<presence from='romeo@example.com/orchard'/>`);
      await juliet.receives(`<presence from='juliet@example.com/chamber'/>`);
      await chamber.receivesAll([`<presence from='romeo@example.com/orchard'/>`, `<presence from='juliet@example.com/balcony'/>`]);
      await romeo.receivesAll([`<presence from='juliet@example.com/balcony'/>`, `<presence from='juliet@example.com/chamber'/>`]);
      juliet.socket.destroy(); // not even a stream close
      await romeo.receives(`<presence type='unavailable' from='juliet@example.com/balcony' to='romeo@example.com'/>`);
      await chamber.receives(`<presence type='unavailable' from='juliet@example.com/balcony' to='juliet@example.com/chamber'/>`);
    }));

  test("directed presence reaches a non-contact, who then hears of the logout; directed unavailable ends it", () =>
    withServer(["juliet", "romeo", "benvolio", "mercutio"], async (ts) => {
      await mutual(ts, "juliet", "romeo");
      const romeo = await online(ts, "romeo", "orchard");
      const benvolio = await online(ts, "benvolio", "square");
      const mercutio = await online(ts, "mercutio", "street");
      const juliet = await online(ts, "juliet", "balcony");
      await juliet.receives(`<presence from='romeo@example.com/orchard'/>`);
      await romeo.receives(`<presence from='juliet@example.com/balcony'/>`);

      juliet.send(`<presence to='benvolio@example.com/square'><status>psst</status></presence>`);
      await benvolio.receives(`<presence from='juliet@example.com/balcony' to='benvolio@example.com/square'><status>psst</status></presence>`);
      juliet.send(`<presence to='mercutio@example.com'/>`);
      await mercutio.receives(`<presence from='juliet@example.com/balcony' to='mercutio@example.com'/>`);
      juliet.send(`<presence to='mercutio@example.com' type='unavailable'/>`);
      await mercutio.receives(`<presence type='unavailable' from='juliet@example.com/balcony' to='mercutio@example.com'/>`);
      await romeo.receivesNothing(); // directed presence is not broadcast

      // Broadcast updates do not go to directed targets (§4.6.3)…
      juliet.send(`<presence><show>away</show></presence>`);
      await juliet.receives(`<presence from='juliet@example.com/balcony'><show>away</show></presence>`);
      await romeo.receives(`<presence from='juliet@example.com/balcony'><show>away</show></presence>`);
      await benvolio.receivesNothing();
      // …but the end of the session does, except to whom directed unavailable was already sent.
      await juliet.close();
      await romeo.receives(`<presence type='unavailable' from='juliet@example.com/balcony' to='romeo@example.com'/>`);
      await benvolio.receives(`<presence type='unavailable' from='juliet@example.com/balcony' to='benvolio@example.com/square'/>`);
      await mercutio.receivesNothing();
    }));

  test("presence to a full JID reaches that resource even when it is not available; to an absent one, nothing", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const juliet = await online(ts, "juliet", "balcony", { available: false });
      const romeo = await online(ts, "romeo", "orchard");
      romeo.send(`<presence to='juliet@example.com/balcony'/>`);
      await juliet.receives(`<presence from='romeo@example.com/orchard' to='juliet@example.com/balcony'/>`);
      romeo.send(`<presence to='juliet@example.com'/>`);
      romeo.send(`<presence to='juliet@example.com/nowhere'/>`);
      await juliet.receivesNothing();
      await romeo.receivesNothing();
    }));

  test("an unknown presence type is refused with bad-request", () =>
    withServer(["juliet"], async (ts) => {
      const c = await online(ts, "juliet", "balcony");
      c.send(`<presence type='invisible' id='p1'/>`);
      await c.receives(`<presence type='error' id='p1'><error type='modify'><bad-request xmlns='${STANZAS}'/><etc/></error></presence>`);
    }));

  test("an error presence from a client is routed like any other", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const juliet = await online(ts, "juliet", "balcony");
      const romeo = await online(ts, "romeo", "orchard");
      romeo.send(`<presence to='juliet@example.com/balcony' type='error'><error type='cancel'><service-unavailable xmlns='${STANZAS}'/></error></presence>`);
      await juliet.receives(`<presence type='error' from='romeo@example.com/orchard' to='juliet@example.com/balcony'><error><etc/></error></presence>`);
    }));

  test("the offline module is told when a session becomes available (stored messages arrive after presence)", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const romeo = await online(ts, "romeo", "orchard");
      romeo.send(`<message to='juliet@example.com' type='chat' id='m1'><body>Hello</body></message>`);
      await waitFor(async () => (await ts.server.storage.offline.count("example.com", "juliet")) === 1);
      const juliet = await online(ts, "juliet", "balcony", { available: false });
      await juliet.receivesNothing();
      juliet.send("<presence/>");
      await juliet.receives(`<presence from='juliet@example.com/balcony'/>`);
      await juliet.receives(`<message id='m1' from='romeo@example.com/orchard'><body>Hello</body><etc/></message>`);
    }));
});
