import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { deriveCredentials } from "../../src/auth/credentials.ts";
import { createMechanism, type SaslMechanism, type SaslStep } from "../../src/auth/sasl.ts";
import type { Credentials } from "../../src/storage/types.ts";
import { testContext, type TestContextOptions } from "./helpers.ts";

let accounts: Map<string, Credentials>;

before(async () => {
  accounts = new Map([
    ["juliet", await deriveCredentials("r0m30myr0m30")],
    ["ix", await deriveCredentials("I\u00ADX")],
  ]);
});

function plain(o: TestContextOptions = { secure: true }): SaslMechanism {
  const m = createMechanism("PLAIN", testContext(accounts, o), { allowPlainInsecure: false });
  assert.ok(m);
  return m;
}

const msg = (authzid: string, authcid: string, password: string): Buffer =>
  Buffer.from(`${authzid}\0${authcid}\0${password}`, "utf8");

function failure(step: SaslStep, condition: string): void {
  assert.equal(step.kind, "failure", JSON.stringify(step));
  assert.equal((step as { condition: string }).condition, condition);
}

describe("PLAIN", () => {
  test("RFC 6120 example payload authenticates juliet", async () => {
    const r = await plain().step(Buffer.from("AGp1bGlldAByMG0zMG15cjBtMzA=", "base64"));
    assert.deepEqual(r, { kind: "success", username: "juliet" });
  });

  test("username is prepared; password is SASLprepped (soft hyphen dropped)", async () => {
    assert.deepEqual(await plain().step(msg("", "JULIET", "r0m30myr0m30")), { kind: "success", username: "juliet" });
    assert.deepEqual(await plain().step(msg("", "ix", "IX")), { kind: "success", username: "ix" });
  });

  test("wrong password → not-authorized with the username", async () => {
    const r = await plain().step(msg("", "juliet", "r0m30myr0m31"));
    failure(r, "not-authorized");
    assert.equal((r as { username?: string }).username, "juliet");
  });

  test("unknown user → not-authorized, and still checks a password", async () => {
    const t0 = process.hrtime.bigint();
    failure(await plain().step(msg("", "romeo", "r0m30myr0m30")), "not-authorized");
    assert.ok(process.hrtime.bigint() - t0 > 100_000n, "unknown users should cost a PBKDF2 run");
  });

  test("authzid empty or user@host is accepted, anything else is invalid-authzid", async () => {
    assert.equal((await plain().step(msg("juliet@example.org", "juliet", "r0m30myr0m30"))).kind, "success");
    assert.equal((await plain().step(msg("JULIET@example.org", "juliet", "r0m30myr0m30"))).kind, "success");
    for (const a of ["romeo@example.org", "juliet@example.net", "juliet@example.org/r", "juliet"]) {
      failure(await plain().step(msg(a, "juliet", "r0m30myr0m30")), "invalid-authzid");
    }
  });

  test("invalid username → not-authorized", async () => {
    failure(await plain().step(msg("", "ju liet", "x")), "not-authorized");
  });

  test("malformed messages → malformed-request", async () => {
    const bad = [
      Buffer.from("juliet"),
      Buffer.from("juliet\0r0m30myr0m30"),
      Buffer.from("\0juliet\0r0m\0"),
      msg("", "", "r0m30myr0m30"),
      msg("", "juliet", ""),
      msg("", "juliet", "x".repeat(256)),
      msg("", "j".repeat(256), "x"),
      Buffer.concat([Buffer.from("\0juliet\0"), Buffer.from([0xc3, 0x28])]),
    ];
    for (const m of bad) failure(await plain().step(m), "malformed-request");
  });

  test("empty initial response gets an empty challenge", async () => {
    const m = plain();
    assert.deepEqual(await m.step(Buffer.alloc(0)), { kind: "challenge", data: Buffer.alloc(0) });
    assert.equal((await m.step(msg("", "juliet", "r0m30myr0m30"))).kind, "success");
    failure(await m.step(msg("", "juliet", "r0m30myr0m30")), "malformed-request");
  });

  test("lookup errors → temporary-auth-failure", async () => {
    failure(await plain({ secure: true, lookupError: true }).step(msg("", "juliet", "x")), "temporary-auth-failure");
  });

  test("not offered without TLS unless allowPlainInsecure", () => {
    const ctx = testContext(accounts, { secure: false });
    assert.equal(createMechanism("PLAIN", ctx, { allowPlainInsecure: false }), undefined);
    assert.ok(createMechanism("PLAIN", ctx, { allowPlainInsecure: true }));
  });
});
