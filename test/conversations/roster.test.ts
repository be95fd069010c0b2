// RFC 6121 §2: roster get, set and remove, pushes to every interested resource, and versioning (§2.6).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ROSTER, mutual, online, withServer } from "./support/roster.ts";

const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

describe("roster (RFC 6121 §2)", () => {
  test("after SASL the stream offers roster versioning and subscription pre-approval", () =>
    withServer(["juliet"], async (ts) => {
      const c = await ts.connect();
      await c.authenticate("juliet", "correct horse battery");
      assert.ok(c.features?.getChild("ver", "urn:xmpp:features:rosterver"));
      assert.ok(c.features?.getChild("sub", "urn:xmpp:features:pre-approval"));
    }));

  test("an empty roster; with ver='' the result carries the version", () =>
    withServer(["juliet"], async (ts) => {
      const c = await ts.login("juliet", { resource: "balcony" });
      c.send(`<iq type='get' id='r1'><query xmlns='${ROSTER}'/></iq>`);
      const r = await c.receives(`<iq type='result' id='r1' to='juliet@example.com/balcony'><query xmlns='${ROSTER}'/></iq>`);
      assert.equal(r.getChild("query")?.attrs.ver, undefined);
      c.send(`<iq type='get' id='r2'><query xmlns='${ROSTER}' ver=''/></iq>`);
      await c.receives(`<iq type='result' id='r2'><query xmlns='${ROSTER}' ver='0'/></iq>`);
    }));

  test("a roster set is pushed to every interested resource, then answered; others hear nothing", () =>
    withServer(["juliet"], async (ts) => {
      const balcony = await online(ts, "juliet", "balcony", { available: false });
      const chamber = await online(ts, "juliet", "chamber", { available: false });
      const garden = await ts.login("juliet", { resource: "garden" }); // never asked for the roster
      balcony.send(
        `<iq type='set' id='set1'><query xmlns='${ROSTER}'><item jid='nurse@example.com' name='Nurse'><group>Servants</group></item></query></iq>`,
      );
      const item = `<item jid='nurse@example.com' name='Nurse' subscription='none'><group>Servants</group></item>`;
      await balcony.receives(`<iq type='set' id='*' to='juliet@example.com/balcony'><query xmlns='${ROSTER}' ver='1'>${item}</query></iq>`);
      await balcony.receives(`<iq type='result' id='set1'/>`);
      const push = await chamber.receives(`<iq type='set' id='*' to='juliet@example.com/chamber'><query xmlns='${ROSTER}' ver='1'>${item}</query></iq>`);
      assert.equal(push.attrs.from, undefined, "pushes come from the account itself (no 'from')");
      assert.equal(push.getChild("query")?.getChild("item")?.attrs.ask, undefined);
      // The client acknowledges the push; the server does not answer that.
      chamber.send(`<iq type='result' id='${push.attrs.id}'/>`);
      await garden.receivesNothing();
      await chamber.receivesNothing();

      balcony.send(`<iq type='get' id='get1'><query xmlns='${ROSTER}'/></iq>`);
      await balcony.receives(`<iq type='result' id='get1'><query xmlns='${ROSTER}'>${item}</query></iq>`);
    }));

  test("an update replaces name and groups but keeps the subscription; 'subscription' in a set is ignored", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      await mutual(ts, "juliet", "romeo");
      const c = await online(ts, "juliet", "balcony", { available: false });
      c.send(
        `<iq type='set' id='s1'><query xmlns='${ROSTER}'><item jid='romeo@example.com' name='Romeo' subscription='none'><group>Friends</group><group>Lovers</group></item></query></iq>`,
      );
      await c.receives(
        `<iq type='set'><query xmlns='${ROSTER}' ver='2'><item jid='romeo@example.com' name='Romeo' subscription='both'><group>Friends</group><group>Lovers</group></item></query></iq>`,
      );
      await c.receives(`<iq type='result' id='s1'/>`);
      c.send(`<iq type='set' id='s2'><query xmlns='${ROSTER}'><item jid='romeo@example.com'/></query></iq>`);
      await c.receives(`<iq type='set'><query xmlns='${ROSTER}' ver='3'><item jid='romeo@example.com' subscription='both'/></query></iq>`);
      await c.receives(`<iq type='result' id='s2'/>`);
      // Setting the same item again changes nothing: no push, same version.
      c.send(`<iq type='set' id='s3'><query xmlns='${ROSTER}'><item jid='romeo@example.com'/></query></iq>`);
      await c.receives(`<iq type='result' id='s3'/>`);
      c.send(`<iq type='get' id='g'><query xmlns='${ROSTER}' ver=''/></iq>`);
      await c.receives(`<iq type='result' id='g'><query xmlns='${ROSTER}' ver='3'><item jid='romeo@example.com' subscription='both'/></query></iq>`);
    }));

  test("versioning: the same version gets an empty result, an older one the whole roster", () =>
    withServer(["juliet"], async (ts) => {
      const c = await online(ts, "juliet", "balcony", { available: false });
      for (const [i, jid] of ["a@example.net", "b@example.net"].entries()) {
        c.send(`<iq type='set' id='s${i}'><query xmlns='${ROSTER}'><item jid='${jid}'/></query></iq>`);
        await c.receives(`<iq type='set'><query xmlns='${ROSTER}' ver='${i + 1}'><item jid='${jid}'/></query></iq>`);
        await c.receives(`<iq type='result' id='s${i}'/>`);
      }
      c.send(`<iq type='get' id='same'><query xmlns='${ROSTER}' ver='2'/></iq>`);
      const same = await c.receives(`<iq type='result' id='same'/>`);
      assert.equal(same.elements().length, 0, "an unchanged roster is an empty IQ result");
      c.send(`<iq type='get' id='old'><query xmlns='${ROSTER}' ver='1'/></iq>`);
      await c.receives(
        `<iq type='result' id='old'><query xmlns='${ROSTER}' ver='2'><item jid='a@example.net' subscription='none'/><item jid='b@example.net' subscription='none'/></query></iq>`,
      );
      c.send(`<iq type='get' id='bogus'><query xmlns='${ROSTER}' ver='not-a-version'/></iq>`);
      await c.receives(`<iq type='result' id='bogus'><query xmlns='${ROSTER}' ver='2'><etc/></query></iq>`);
    }));

  test("the roster and its version survive a reconnection (loaded again from the store)", () =>
    withServer(["juliet"], async (ts) => {
      const first = await online(ts, "juliet", "balcony", { available: false });
      first.send(`<iq type='set' id='s'><query xmlns='${ROSTER}'><item jid='nurse@example.com'><group>Servants</group></item></query></iq>`);
      await first.receives(`<iq type='set'><etc/></iq>`);
      await first.receives(`<iq type='result' id='s'/>`);
      await first.close();
      const again = await ts.login("juliet", { resource: "balcony" });
      again.send(`<iq type='get' id='g'><query xmlns='${ROSTER}' ver='0'/></iq>`);
      await again.receives(
        `<iq type='result' id='g'><query xmlns='${ROSTER}' ver='1'><item jid='nurse@example.com' subscription='none'><group>Servants</group></item></query></iq>`,
      );
    }));

  test("remove: pushed as subscription='remove' to every interested resource; unknown items are item-not-found", () =>
    withServer(["juliet"], async (ts) => {
      const balcony = await online(ts, "juliet", "balcony", { available: false });
      const chamber = await online(ts, "juliet", "chamber", { available: false });
      balcony.send(`<iq type='set' id='add'><query xmlns='${ROSTER}'><item jid='nurse@example.com'/></query></iq>`);
      await balcony.receives(`<iq type='set'><etc/></iq>`);
      await balcony.receives(`<iq type='result' id='add'/>`);
      await chamber.receives(`<iq type='set'><etc/></iq>`);
      balcony.send(`<iq type='set' id='rm'><query xmlns='${ROSTER}'><item jid='nurse@example.com' subscription='remove'/></query></iq>`);
      const removal = `<query xmlns='${ROSTER}' ver='2'><item jid='nurse@example.com' subscription='remove'/></query>`;
      await balcony.receives(`<iq type='set'>${removal}</iq>`);
      await balcony.receives(`<iq type='result' id='rm'/>`);
      await chamber.receives(`<iq type='set'>${removal}</iq>`);
      balcony.send(`<iq type='set' id='rm2'><query xmlns='${ROSTER}'><item jid='nurse@example.com' subscription='remove'/></query></iq>`);
      await balcony.receives(`<iq type='error' id='rm2'><error type='cancel'><item-not-found xmlns='${STANZAS}'/><etc/></error></iq>`);
      balcony.send(`<iq type='get' id='g'><query xmlns='${ROSTER}'/></iq>`);
      await balcony.receives(`<iq type='result' id='g'><query xmlns='${ROSTER}'/></iq>`);
    }));

  test("removing a mutual contact unsubscribes both ways (§2.5.2): the contact's roster follows", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      await mutual(ts, "juliet", "romeo");
      const juliet = await online(ts, "juliet", "balcony");
      const romeo = await online(ts, "romeo", "orchard");
      await juliet.receives(`<presence from='romeo@example.com/orchard'/>`);
      await romeo.receives(`<presence from='juliet@example.com/balcony'/>`);
      juliet.send(`<iq type='set' id='rm'><query xmlns='${ROSTER}'><item jid='romeo@example.com' subscription='remove'/></query></iq>`);
      await juliet.receivesAll([
        `<iq type='set'><query xmlns='${ROSTER}'><item jid='romeo@example.com' subscription='remove'/></query></iq>`,
        // §3.3.3: Romeo's server, losing Juliet's subscription, sends unavailable from Romeo's resources.
        `<presence type='unavailable' from='romeo@example.com/orchard' to='juliet@example.com'/>`,
        `<iq type='result' id='rm'/>`,
      ]);
      await romeo.receivesAll([
        // unsubscribe: Romeo no longer has a subscription from Juliet
        `<presence type='unsubscribe' from='juliet@example.com' to='romeo@example.com'/>`,
        `<iq type='set'><query xmlns='${ROSTER}'><item jid='juliet@example.com' subscription='to'/></query></iq>`,
        // unavailable from Juliet's resource, then unsubscribed: Romeo loses his subscription to Juliet
        `<presence type='unavailable' from='juliet@example.com/balcony'/>`,
        `<presence type='unsubscribed' from='juliet@example.com' to='romeo@example.com'/>`,
        `<iq type='set'><query xmlns='${ROSTER}'><item jid='juliet@example.com' subscription='none'/></query></iq>`,
      ]);
      await juliet.receivesNothing();
    }));

  test("bad roster sets are refused with the RFC's conditions and change nothing", () =>
    withServer(["juliet"], async (ts) => {
      const c = await online(ts, "juliet", "balcony", { available: false });
      const cases: [string, string, string][] = [
        ["<item jid='a@example.net'/><item jid='b@example.net'/>", "modify", "bad-request"],
        ["", "modify", "bad-request"],
        ["<item jid='a@example.net'><group>G</group><group>G</group></item>", "modify", "bad-request"],
        ["<item jid='a@example.net'><group/></item>", "modify", "not-acceptable"],
        [`<item jid='a@example.net' name='${"n".repeat(1025)}'/>`, "modify", "not-acceptable"],
        ["<item jid='juliet@example.com'/>", "cancel", "not-allowed"],
        ["<item jid='a@@example.net'/>", "modify", "jid-malformed"],
        ["<item jid='a@example.net/res'/>", "modify", "jid-malformed"],
      ];
      for (const [i, [items, type, condition]] of cases.entries()) {
        c.send(`<iq type='set' id='bad${i}'><query xmlns='${ROSTER}'>${items}</query></iq>`);
        await c.receives(`<iq type='error' id='bad${i}'><error type='${type}'><${condition} xmlns='${STANZAS}'/><etc/></error></iq>`);
      }
      c.send(`<iq type='get' id='g'><query xmlns='${ROSTER}' ver=''/></iq>`);
      await c.receives(`<iq type='result' id='g'><query xmlns='${ROSTER}' ver='0'/></iq>`);
    }));

  test("another account's roster is forbidden; a missing account's is service-unavailable", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      const c = await ts.login("juliet", { resource: "balcony" });
      c.send(`<iq type='get' id='g1' to='romeo@example.com'><query xmlns='${ROSTER}'/></iq>`);
      await c.receives(`<iq type='error' id='g1' from='romeo@example.com'><error type='auth'><forbidden xmlns='${STANZAS}'/><etc/></error></iq>`);
      c.send(`<iq type='set' id='s1' to='romeo@example.com'><query xmlns='${ROSTER}'><item jid='a@example.net'/></query></iq>`);
      await c.receives(`<iq type='error' id='s1'><error type='auth'><forbidden xmlns='${STANZAS}'/><etc/></error></iq>`);
      c.send(`<iq type='get' id='g2' to='nobody@example.com'><query xmlns='${ROSTER}'/></iq>`);
      await c.receives(`<iq type='error' id='g2'><error type='cancel'><service-unavailable xmlns='${STANZAS}'/></error></iq>`);
      // Addressing one's own bare JID is the same as no 'to'.
      c.send(`<iq type='get' id='g3' to='juliet@example.com'><query xmlns='${ROSTER}'/></iq>`);
      await c.receives(`<iq type='result' id='g3'><query xmlns='${ROSTER}'/></iq>`);
    }));

  test("a deleted account leaves its contacts' rosters, with a push and its unavailable presence", () =>
    withServer(["juliet", "romeo"], async (ts) => {
      await mutual(ts, "juliet", "romeo");
      const juliet = await online(ts, "juliet", "balcony");
      const romeo = await online(ts, "romeo", "orchard");
      await juliet.receives(`<presence from='romeo@example.com/orchard'/>`);
      await romeo.receives(`<presence from='juliet@example.com/balcony'/>`);
      await ts.server.storage.accounts.delete("example.com", "romeo");
      await ts.server.events.emit("user-deleted", { host: "example.com", username: "romeo" });
      await juliet.receives(`<presence type='unavailable' from='romeo@example.com/orchard'/>`);
      await juliet.receives(`<iq type='set'><query xmlns='${ROSTER}'><item jid='romeo@example.com' subscription='remove'/></query></iq>`);
      assert.deepEqual((await ts.server.storage.rosters.getRoster("example.com", "juliet")).items, []);
    }));
});
