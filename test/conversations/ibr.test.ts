// XEP-0077: the form, registration (open and invite-only), its errors in Prosody's words, password change and removal.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Config } from "../../src/core/config/index.ts";
import { startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";
import {
  INVITATION_ONLY,
  NEW_PASSWORD,
  REGISTER,
  accountExists,
  errorPattern,
  fresh,
  register,
  registerXml,
  withServer,
} from "./support/invites.ts";

const FORM = `<iq type='result' id='f1'><query xmlns='${REGISTER}'><instructions>Choose a username and password for use with this service.</instructions><username/><password/><x xmlns='jabber:x:data' type='form'><title>Creating a new account</title><instructions>Choose a username and password for use with this service.</instructions><field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field><field type='text-single' var='username' label='Username'><required/></field><field type='text-private' var='password' label='Password'><required/></field></x></query></iq>`;
const IQ_REGISTER_FEATURE = "http://jabber.org/features/iq-register";
const STREAMS = "urn:ietf:params:xml:ns:xmpp-streams";

const open = (c: Config) => {
  c.registration.allowRegistration = true;
  c.registration.inviteOnly = false;
};

function hasFeature(features: { getChild(name: string, ns?: string): unknown } | undefined, ns: string): boolean {
  return features?.getChild("register", ns) !== undefined;
}

describe("XEP-0077 on an open server", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ configure: open });
    await ts.createUser("romeo");
  });
  after(() => ts.stop());

  test("the form, exactly as Prosody serves it (C28)", async () => {
    const c = await fresh(ts);
    assert.ok(hasFeature(c.features, IQ_REGISTER_FEATURE), "iq-register feature after STARTTLS");
    c.send(`<iq type='get' id='f1'><query xmlns='${REGISTER}'/></iq>`);
    await c.receives(FORM);
  });

  test("registration with the legacy fields; the account then logs in with SCRAM", async () => {
    const c = await fresh(ts);
    await register(c, "benvolio");
    assert.ok(await accountExists(ts, "benvolio"));
    const login = await fresh(ts);
    await login.authenticate("benvolio", NEW_PASSWORD, "SCRAM-SHA-1");
    assert.ok(await login.bind());
  });

  test("registration with a submitted data form", async () => {
    const c = await fresh(ts);
    c.send(
      `<iq type='set' id='df'><query xmlns='${REGISTER}'><x xmlns='jabber:x:data' type='submit'>` +
        `<field var='FORM_TYPE'><value>jabber:iq:register</value></field>` +
        `<field var='username'><value>mercutio</value></field><field var='password'><value>${NEW_PASSWORD}</value></field>` +
        `</x></query></iq>`,
    );
    await c.receives(`<iq type='result' id='df'/>`);
    assert.ok(await accountExists(ts, "mercutio"));
  });

  test("missing fields: modify/not-acceptable 'Field: Required value missing'", async () => {
    const c = await fresh(ts);
    c.send(`<iq type='set' id='m1'><query xmlns='${REGISTER}'><username>tybalt</username><password/></query></iq>`);
    await c.receives(errorPattern("m1", "modify", "not-acceptable", "Password: Required value missing"));
    c.send(`<iq type='set' id='m2'><query xmlns='${REGISTER}'><password>${NEW_PASSWORD}</password></query></iq>`);
    await c.receives(errorPattern("m2", "modify", "not-acceptable", "Username: Required value missing"));
    c.send(`<iq type='set' id='m3'><query xmlns='${REGISTER}'/></iq>`);
    const r = await c.receives(errorPattern("m3", "modify", "not-acceptable"));
    assert.equal(r.getChild("error")?.getChildText("text"), "Username: Required value missing\nPassword: Required value missing");
    assert.equal(await accountExists(ts, "tybalt"), false);
  });

  test("a bad username, a taken one, a short password: Prosody's errors (C29–C31)", async () => {
    const c = await fresh(ts);
    for (const [i, bad] of ["a b", "x@y", ""].entries()) {
      c.send(registerXml(`u${i}`, bad, NEW_PASSWORD));
      await c.receives(errorPattern(`u${i}`, "modify", "not-acceptable", "The requested username is invalid."));
    }
    c.send(registerXml("t1", "Romeo", NEW_PASSWORD));
    await c.receives(errorPattern("t1", "cancel", "conflict", "The requested username already exists."));
    c.send(registerXml("p1", "paris", "short"));
    await c.receives(errorPattern("p1", "modify", "not-acceptable", "Password is too short (minimum 8 characters)"));
    assert.equal(await accountExists(ts, "paris"), false);
  });

  test("<remove/> before authentication: auth/registration-required", async () => {
    const c = await fresh(ts);
    c.send(`<iq type='set' id='rm'><query xmlns='${REGISTER}'><remove/></query></iq>`);
    await c.receives(errorPattern("rm", "auth", "registration-required"));
    assert.ok(await accountExists(ts, "romeo"));
  });

  test("before STARTTLS nothing is offered, and requests get modify/policy-violation (C17)", async () => {
    const c = await ts.connect({ security: "plain" });
    assert.equal(hasFeature(c.features, IQ_REGISTER_FEATURE), false);
    c.send(`<iq type='get' id='g1'><query xmlns='${REGISTER}'/></iq>`);
    await c.receives(errorPattern("g1", "modify", "policy-violation", "Encryption is required"));
    c.send(registerXml("s1", "capulet", NEW_PASSWORD));
    await c.receives(errorPattern("s1", "modify", "policy-violation", "Encryption is required"));
    assert.equal(await accountExists(ts, "capulet"), false);
  });

  test("after authentication the feature is gone (C16)", async () => {
    const c = await ts.connect();
    await c.authenticate("romeo", TEST_PASSWORD);
    assert.equal(hasFeature(c.features, IQ_REGISTER_FEATURE), false);
  });
});

describe("XEP-0077 by a logged-in user (§3.2, §3.3)", () => {
  test("get says the account is registered", () =>
    withServer(["romeo"], async (ts) => {
      const c = await ts.login("romeo");
      c.send(`<iq type='get' id='g'><query xmlns='${REGISTER}'/></iq>`);
      await c.receives(`<iq type='result' id='g'><query xmlns='${REGISTER}'><registered/><username>romeo</username><password/></query></iq>`);
    }));

  test("password change: the new password logs in, the old one no longer does", () =>
    withServer(["romeo"], async (ts) => {
      const c = await ts.login("romeo");
      c.send(`<iq type='set' id='pw'><query xmlns='${REGISTER}'><username>romeo</username><password>${NEW_PASSWORD}</password></query></iq>`);
      await c.receives(`<iq type='result' id='pw'/>`);
      const old = await fresh(ts);
      await assert.rejects(old.authenticate("romeo", TEST_PASSWORD), /not-authorized/);
      const now = await fresh(ts);
      await now.authenticate("romeo", NEW_PASSWORD);
    }));

  test("password change addressed to the domain, as some clients do, with a data form", () =>
    withServer(["romeo"], async (ts) => {
      const c = await ts.login("romeo");
      c.send(
        `<iq type='set' id='pw' to='example.com'><query xmlns='${REGISTER}'><x xmlns='jabber:x:data' type='submit'>` +
          `<field var='FORM_TYPE'><value>jabber:iq:register</value></field><field var='username'><value>Romeo</value></field>` +
          `<field var='password'><value>${NEW_PASSWORD}</value></field></x></query></iq>`,
      );
      await c.receives(`<iq type='result' id='pw' from='example.com'/>`);
      const now = await fresh(ts);
      await now.authenticate("romeo", NEW_PASSWORD);
    }));

  test("password change errors: another username, a missing field, a short password", () =>
    withServer(["romeo", "juliet"], async (ts) => {
      const c = await ts.login("romeo");
      c.send(`<iq type='set' id='a'><query xmlns='${REGISTER}'><username>juliet</username><password>${NEW_PASSWORD}</password></query></iq>`);
      await c.receives(errorPattern("a", "modify", "bad-request"));
      c.send(`<iq type='set' id='b'><query xmlns='${REGISTER}'><username>romeo</username></query></iq>`);
      await c.receives(errorPattern("b", "modify", "bad-request"));
      c.send(`<iq type='set' id='c'><query xmlns='${REGISTER}'><username>romeo</username><password>short</password></query></iq>`);
      await c.receives(errorPattern("c", "modify", "not-acceptable", "Password is too short (minimum 8 characters)"));
      const still = await fresh(ts);
      await still.authenticate("romeo", TEST_PASSWORD);
      const other = await fresh(ts);
      await other.authenticate("juliet", TEST_PASSWORD);
    }));

  test("another user's registration is not one's business: service-unavailable", () =>
    withServer(["romeo", "juliet"], async (ts) => {
      const c = await ts.login("romeo");
      c.send(`<iq type='set' id='x' to='juliet@example.com'><query xmlns='${REGISTER}'><remove/></query></iq>`);
      await c.receives(`<iq type='error' id='x' from='juliet@example.com'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`);
      assert.ok(await accountExists(ts, "juliet"));
    }));

  test("<remove/>: result, then every stream of the account closes; the account is gone", () =>
    withServer(["romeo"], async (ts) => {
      const c = await ts.login("romeo", { resource: "one" });
      const other = await ts.login("romeo", { resource: "two" });
      c.send(`<iq type='set' id='rm'><query xmlns='${REGISTER}'><remove/></query></iq>`);
      await c.receives(`<iq type='result' id='rm' from='romeo@example.com' to='romeo@example.com/one'/>`);
      await c.receives(`<stream:error xmlns:stream='http://etherx.jabber.org/streams'><not-authorized xmlns='${STREAMS}'/><text xmlns='${STREAMS}'>Account deleted</text></stream:error>`);
      await c.closed();
      await other.closed();
      assert.equal(other.error, "not-authorized");
      assert.equal(await accountExists(ts, "romeo"), false);
      const login = await fresh(ts);
      await assert.rejects(login.authenticate("romeo", TEST_PASSWORD), /not-authorized/);
    }));
});

describe("XEP-0077 configurations", () => {
  test("invite-only without a token: Prosody's refusal, no account (C23)", () =>
    withServer([], async (ts) => {
      const c = await fresh(ts);
      assert.ok(hasFeature(c.features, IQ_REGISTER_FEATURE));
      c.send(`<iq type='get' id='f1'><query xmlns='${REGISTER}'/></iq>`);
      await c.receives(FORM);
      c.send(registerXml("r1", "juliet", NEW_PASSWORD));
      await c.receives(errorPattern("r1", "modify", "not-acceptable", INVITATION_ONLY));
      assert.equal(await accountExists(ts, "juliet"), false);
      const login = await fresh(ts);
      await assert.rejects(login.authenticate("juliet", NEW_PASSWORD), /not-authorized/);
    }));

  test("registration switched off altogether: not offered, service-unavailable", () =>
    withServer(
      [],
      async (ts) => {
        const c = await fresh(ts);
        assert.equal(hasFeature(c.features, IQ_REGISTER_FEATURE), false);
        c.send(`<iq type='get' id='f1'><query xmlns='${REGISTER}'/></iq>`);
        await c.receives(errorPattern("f1", "cancel", "service-unavailable"));
        c.send(registerXml("r1", "juliet", NEW_PASSWORD));
        await c.receives(errorPattern("r1", "cancel", "service-unavailable"));
      },
      {
        configure: (c) => {
          c.registration.allowRegistration = false;
          c.registration.inviteOnly = false;
        },
      },
    ));

  test("tls.policy = optional: offered and working on a plaintext stream", () =>
    withServer(
      [],
      async (ts) => {
        const c = await ts.connect({ security: "plain" });
        assert.ok(hasFeature(c.features, IQ_REGISTER_FEATURE));
        await register(c, "juliet");
        assert.ok(await accountExists(ts, "juliet"));
      },
      {
        configure: (c) => {
          open(c);
          c.tls.policy = "optional";
        },
      },
    ));
});
