// RFC 6120 §6 and RFC 5802/7677/9266: every mechanism logs in; every failure has its condition.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { freshIp, startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";

const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

describe("SASL", () => {
  let ts: TestServer;
  const logLines: string[] = [];
  before(async () => {
    ts = await startTestServer({
      configure: (c) => {
        c.logLevel = "info";
        c.limits.authFailures = { max: 3, windowSeconds: 60 };
      },
      logDestination: new Writable({
        write(chunk, _enc, cb) {
          logLines.push(chunk.toString());
          cb();
        },
      }),
    });
    await ts.createUser("romeo");
    await ts.createUser("juliet");
    await ts.createUser("mercutio");
  });
  after(() => ts.stop());

  for (const mech of ["SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN"]) {
    test(`${mech} logs in over TLS`, async () => {
      const c = await ts.connect();
      await c.authenticate("romeo", TEST_PASSWORD, mech);
      assert.match(await c.bind(mech), new RegExp(`^romeo@example\\.com/${mech}$`));
    });
  }

  for (const mech of ["SCRAM-SHA-1-PLUS", "SCRAM-SHA-256-PLUS"]) {
    for (const binding of ["tls-exporter", "tls-server-end-point"] as const) {
      test(`${mech} with ${binding} channel binding logs in`, async () => {
        const c = await ts.connect();
        await c.authenticate("romeo", TEST_PASSWORD, mech, { binding });
        assert.ok(await c.bind());
      });
    }
  }

  test("-PLUS with channel-binding data from another connection fails", async () => {
    const other = await ts.connect();
    const foreign = other.channelBindingData("tls-exporter");
    const c = await ts.connect({ localAddress: freshIp() });
    await assert.rejects(
      c.authenticate("romeo", TEST_PASSWORD, "SCRAM-SHA-256-PLUS", { binding: "tls-exporter", bindingData: foreign }),
      /not-authorized/,
    );
  });

  test("a wrong password gets <not-authorized/>, and the stream may try again", async () => {
    const c = await ts.connect({ localAddress: freshIp() });
    await assert.rejects(c.authenticate("juliet", "wrong password"), /not-authorized/);
    await c.authenticate("juliet", TEST_PASSWORD);
    assert.ok(await c.bind());
  });

  test("an unknown account fails exactly like a wrong password", async () => {
    const c = await ts.connect({ localAddress: freshIp() });
    await assert.rejects(c.authenticate("nobody", TEST_PASSWORD), /not-authorized/);
  });

  test("an unknown mechanism gets <invalid-mechanism/>", async () => {
    const c = await ts.connect();
    c.send(`<auth xmlns='${SASL}' mechanism='DIGEST-MD5'/>`);
    await c.receives(`<failure xmlns='${SASL}'><invalid-mechanism/></failure>`);
  });

  test("data that is not base64 gets <incorrect-encoding/>", async () => {
    const c = await ts.connect();
    c.send(`<auth xmlns='${SASL}' mechanism='SCRAM-SHA-1'>not*base64!</auth>`);
    await c.receives(`<failure xmlns='${SASL}'><incorrect-encoding/></failure>`);
  });

  test("a garbled SCRAM message gets <malformed-request/>", async () => {
    const c = await ts.connect();
    c.send(`<auth xmlns='${SASL}' mechanism='SCRAM-SHA-1'>${Buffer.from("garbage").toString("base64")}</auth>`);
    await c.receives(`<failure xmlns='${SASL}'><malformed-request/><etc/></failure>`);
  });

  test("<abort/> ends the exchange with <aborted/>", async () => {
    const c = await ts.connect();
    c.send(`<auth xmlns='${SASL}' mechanism='SCRAM-SHA-1'/>`);
    await c.receives(`<challenge xmlns='${SASL}'/>`);
    c.send(`<abort xmlns='${SASL}'/>`);
    await c.receives(`<failure xmlns='${SASL}'><aborted/></failure>`);
  });

  test("a response with no exchange in progress gets <malformed-request/>", async () => {
    const c = await ts.connect();
    c.send(`<response xmlns='${SASL}'>AAAA</response>`);
    await c.receives(`<failure xmlns='${SASL}'><malformed-request/><etc/></failure>`);
  });

  test("repeated failures on an account are throttled, even with the right password", async () => {
    for (let i = 0; i < 3; i++) {
      const c = await ts.connect({ localAddress: freshIp() });
      await assert.rejects(c.authenticate("mercutio", `guess ${i}`), /not-authorized/);
    }
    const d = await ts.connect({ localAddress: freshIp() });
    await assert.rejects(d.authenticate("mercutio", TEST_PASSWORD), /temporary-auth-failure/);
  });

  test("repeated failures from one address are throttled for every account", async () => {
    const ip = freshIp();
    const c = await ts.connect({ localAddress: ip });
    for (const user of ["a1", "a2", "a3"]) await assert.rejects(c.authenticate(user, "nope"), /not-authorized/);
    await assert.rejects(c.authenticate("romeo", TEST_PASSWORD), /temporary-auth-failure/);
    const elsewhere = await ts.connect({ localAddress: freshIp() });
    await elsewhere.authenticate("romeo", TEST_PASSWORD);
  });

  test("failures are logged without the password", async () => {
    const c = await ts.connect({ localAddress: freshIp() });
    await assert.rejects(c.authenticate("juliet", "my secret guess"), /not-authorized/);
    const lines = logLines.filter((l) => l.includes("authentication failed"));
    assert.ok(lines.length > 0);
    assert.ok(lines.some((l) => l.includes("juliet")));
    assert.ok(logLines.every((l) => !l.includes("my secret guess") && !l.includes(TEST_PASSWORD)));
  });

  test("SASL after authentication is a stream error", async () => {
    const c = await ts.login("romeo");
    c.send(`<auth xmlns='${SASL}' mechanism='PLAIN'>AHJvbWVvAHg=</auth>`);
    await c.closed();
    assert.equal(c.error, "policy-violation");
  });
});
