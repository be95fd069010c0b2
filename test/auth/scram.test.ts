import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { deriveCredentials, deriveScramCredential } from "../../src/auth/credentials.ts";
import { createScramMechanism } from "../../src/auth/scram.ts";
import { createMechanism, type SaslMechanism, type SaslStep } from "../../src/auth/sasl.ts";
import type { Credentials } from "../../src/storage/types.ts";
import { ScramClient, testContext, type TestContextOptions } from "./helpers.ts";

const b = (s: string): Buffer => Buffer.from(s, "utf8");

function challenge(step: SaslStep): Buffer {
  assert.equal(step.kind, "challenge", `expected challenge, got ${JSON.stringify(step)}`);
  return (step as { data: Buffer }).data;
}

function failure(step: SaslStep, condition: string): void {
  assert.equal(step.kind, "failure", `expected failure, got ${JSON.stringify(step)}`);
  assert.equal((step as { condition: string }).condition, condition, JSON.stringify(step));
}

const EXPORTER = Buffer.from("0123456789abcdef0123456789abcdef");
const END_POINT = Buffer.from("fedcba9876543210fedcba9876543210");

let accounts: Map<string, Credentials>;

before(async () => {
  accounts = new Map([
    ["juliet", await deriveCredentials("r0m30myr0m30")],
    ["a,b=c", await deriveCredentials("s3cret")],
  ]);
});

function mech(name: string, ctxOpts: TestContextOptions = {}): SaslMechanism {
  const m = createMechanism(name, testContext(accounts, ctxOpts), { allowPlainInsecure: false });
  assert.ok(m, `${name} should be offered`);
  return m;
}

async function run(m: SaslMechanism, c: ScramClient): Promise<SaslStep> {
  const first = await m.step(c.first());
  if (first.kind !== "challenge") return first;
  return m.step(c.final(first.data));
}

describe("RFC test vectors", () => {
  test("RFC 7677 SCRAM-SHA-256 (user/pencil)", async () => {
    const salt = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");
    const sha256 = await deriveScramCredential("pencil", "sha256", 4096, salt);
    const ctx = testContext(new Map([["user", { sha1: sha256, sha256 }]]));
    const m = createScramMechanism({
      ctx, hash: "sha256", plus: false, plusOffered: false, serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
    });
    assert.equal(m.name, "SCRAM-SHA-256");
    const first = challenge(await m.step(b("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")));
    assert.equal(first.toString(), "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
    const final = await m.step(b(
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
    ));
    assert.deepEqual(final, { kind: "success", username: "user", data: b("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") });
  });

  test("RFC 5802 SCRAM-SHA-1 (user/pencil)", async () => {
    const sha1 = await deriveScramCredential("pencil", "sha1", 4096, Buffer.from("QSXCR+Q6sek8bf92", "base64"));
    const ctx = testContext(new Map([["user", { sha1, sha256: sha1 }]]));
    const m = createScramMechanism({ ctx, hash: "sha1", plus: false, plusOffered: false, serverNonce: "3rfcNHYJY1ZVvWVs7j" });
    assert.equal(m.name, "SCRAM-SHA-1");
    const first = challenge(await m.step(b("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL")));
    assert.equal(first.toString(), "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");
    const final = await m.step(b("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
    assert.deepEqual(final, { kind: "success", username: "user", data: b("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=") });
  });

  test("a flipped bit in the RFC 7677 proof is refused", async () => {
    const salt = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");
    const sha256 = await deriveScramCredential("pencil", "sha256", 4096, salt);
    const ctx = testContext(new Map([["user", { sha1: sha256, sha256 }]]));
    const m = createScramMechanism({
      ctx, hash: "sha256", plus: false, plusOffered: false, serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
    });
    challenge(await m.step(b("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")));
    failure(await m.step(b(
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVU=",
    )), "not-authorized");
  });
});

describe("full exchange with a client", () => {
  for (const hash of ["sha1", "sha256"] as const) {
    const name = hash === "sha1" ? "SCRAM-SHA-1" : "SCRAM-SHA-256";

    test(`${name} succeeds and the server signature verifies`, async () => {
      const c = new ScramClient(hash, "juliet", "r0m30myr0m30");
      const r = await run(mech(name), c);
      assert.equal(r.kind, "success");
      assert.equal((r as { username: string }).username, "juliet");
      assert.ok(c.verifyServerFinal((r as { data?: Buffer }).data));
    });

    test(`${name} prepares the username (case) and decodes =2C / =3D`, async () => {
      const upper = await run(mech(name), new ScramClient(hash, "Juliet", "r0m30myr0m30"));
      assert.equal(upper.kind, "success");
      assert.equal((upper as { username: string }).username, "juliet");
      const c = new ScramClient(hash, "a,b=c", "s3cret");
      assert.ok(c.first().toString().includes("n=a=2Cb=3Dc,"));
      const r = await run(mech(name), c);
      assert.equal(r.kind, "success");
      assert.equal((r as { username: string }).username, "a,b=c");
    });

    test(`${name} wrong password → not-authorized, username reported`, async () => {
      const r = await run(mech(name), new ScramClient(hash, "juliet", "wrong"));
      failure(r, "not-authorized");
      assert.equal((r as { username?: string }).username, "juliet");
    });

    test(`${name} after an empty initial response sends an empty challenge, then runs normally`, async () => {
      const m = mech(name);
      assert.equal(challenge(await m.step(Buffer.alloc(0))).length, 0);
      const c = new ScramClient(hash, "juliet", "r0m30myr0m30");
      const r = await run(m, c);
      assert.equal(r.kind, "success");
    });
  }

  test("the exchange is over after success or failure", async () => {
    const m = mech("SCRAM-SHA-256");
    const c = new ScramClient("sha256", "juliet", "r0m30myr0m30");
    const first = challenge(await m.step(c.first()));
    const final = c.final(first);
    assert.equal((await m.step(final)).kind, "success");
    failure(await m.step(final), "malformed-request");
  });

  test("server nonces are fresh per exchange and extend the client nonce", async () => {
    const c = new ScramClient("sha256", "juliet", "x", { nonce: "abc" });
    const n1 = c.parseServerFirst(challenge(await mech("SCRAM-SHA-256").step(c.first()))).nonce;
    const n2 = c.parseServerFirst(challenge(await mech("SCRAM-SHA-256").step(c.first()))).nonce;
    assert.ok(n1.startsWith("abc") && n2.startsWith("abc"));
    assert.ok(n1.length >= 3 + 24);
    assert.notEqual(n1, n2);
  });
});

describe("channel binding", () => {
  const secure: TestContextOptions = { secure: true, bindings: { "tls-exporter": EXPORTER, "tls-server-end-point": END_POINT } };

  for (const hash of ["sha1", "sha256"] as const) {
    const plus = hash === "sha1" ? "SCRAM-SHA-1-PLUS" : "SCRAM-SHA-256-PLUS";
    for (const [type, data] of [["tls-exporter", EXPORTER], ["tls-server-end-point", END_POINT]] as const) {
      test(`${plus} with matching ${type} data succeeds`, async () => {
        const c = new ScramClient(hash, "juliet", "r0m30myr0m30", { flag: `p=${type}`, cbData: data });
        const r = await run(mech(plus, secure), c);
        assert.equal(r.kind, "success", JSON.stringify(r));
        assert.ok(c.verifyServerFinal((r as { data?: Buffer }).data));
      });
    }

    test(`${plus} with mismatching binding data → not-authorized`, async () => {
      const c = new ScramClient(hash, "juliet", "r0m30myr0m30", { flag: "p=tls-exporter", cbData: END_POINT });
      failure(await run(mech(plus, secure), c), "not-authorized");
    });
  }

  test("binding data of the other type does not pass", async () => {
    const c = new ScramClient("sha256", "juliet", "r0m30myr0m30", { flag: "p=tls-server-end-point", cbData: EXPORTER });
    failure(await run(mech("SCRAM-SHA-256-PLUS", secure), c), "not-authorized");
  });

  test("a binding type the connection lacks is refused", async () => {
    const only = { secure: true, bindings: { "tls-server-end-point": END_POINT } };
    for (const flag of ["p=tls-exporter", "p=tls-unique", "p=bogus"]) {
      const c = new ScramClient("sha256", "juliet", "r0m30myr0m30", { flag, cbData: EXPORTER });
      failure(await mech("SCRAM-SHA-256-PLUS", only).step(c.first()), "malformed-request");
    }
  });

  test("-PLUS without p= and non-PLUS with p= are refused", async () => {
    for (const flag of ["n", "y"]) {
      const c = new ScramClient("sha256", "juliet", "r0m30myr0m30", { flag });
      failure(await mech("SCRAM-SHA-256-PLUS", secure).step(c.first()), "malformed-request");
    }
    const c = new ScramClient("sha256", "juliet", "r0m30myr0m30", { flag: "p=tls-exporter", cbData: EXPORTER });
    failure(await mech("SCRAM-SHA-256", secure).step(c.first()), "malformed-request");
  });

  test("'y' while PLUS was offered is a downgrade → failure before any lookup", async () => {
    const ctx = testContext(accounts, secure);
    const m = createMechanism("SCRAM-SHA-256", ctx, { allowPlainInsecure: false })!;
    const r = await m.step(new ScramClient("sha256", "juliet", "r0m30myr0m30", { flag: "y" }).first());
    failure(r, "not-authorized");
    assert.deepEqual(ctx.lookups, []);
  });

  test("'y' is fine when no PLUS was offered; 'n' is fine either way", async () => {
    for (const o of [{}, { secure: true }] as TestContextOptions[]) {
      const r = await run(mech("SCRAM-SHA-1", o), new ScramClient("sha1", "juliet", "r0m30myr0m30", { flag: "y" }));
      assert.equal(r.kind, "success", JSON.stringify(o));
    }
    const r = await run(mech("SCRAM-SHA-1", secure), new ScramClient("sha1", "juliet", "r0m30myr0m30", { flag: "n" }));
    assert.equal(r.kind, "success");
  });

  test("c= must carry the same GS2 header as the first message", async () => {
    const m = mech("SCRAM-SHA-256", secure);
    const c = new ScramClient("sha256", "juliet", "r0m30myr0m30", { flag: "n" });
    const first = challenge(await m.step(c.first()));
    const forged = c.final(first).toString().replace(/^c=biws/, `c=${Buffer.from("y,,").toString("base64")}`);
    failure(await m.step(b(forged)), "malformed-request");
  });
});

describe("unknown users", () => {
  const SHAPE = /^r=([\x21-\x2b\x2d-\x7e]+),s=([A-Za-z0-9+/]{22}==),i=4096$/;

  test("first challenge has the same shape as a real one, and a stable salt", async () => {
    const real = challenge(await mech("SCRAM-SHA-256").step(new ScramClient("sha256", "juliet", "x", { nonce: "n1" }).first()));
    assert.match(real.toString(), SHAPE);
    const salts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const c = new ScramClient("sha256", "romeo", "x", { nonce: "n1" });
      const first = challenge(await mech("SCRAM-SHA-256").step(c.first()));
      assert.match(first.toString(), SHAPE);
      salts.push(SHAPE.exec(first.toString())![2]!);
    }
    assert.equal(salts[0], salts[1]);
    const other = challenge(await mech("SCRAM-SHA-256").step(new ScramClient("sha256", "mercutio", "x").first()));
    assert.notEqual(SHAPE.exec(other.toString())![2], salts[0]);
  });

  test("fake salts follow fakeSaltSecret", async () => {
    const salt = async (secret: Buffer): Promise<string> => {
      const m = createMechanism("SCRAM-SHA-1", testContext(accounts), { allowPlainInsecure: false, fakeSaltSecret: secret })!;
      return /s=([^,]+)/.exec(challenge(await m.step(new ScramClient("sha1", "romeo", "x").first())).toString())![1]!;
    };
    assert.equal(await salt(Buffer.alloc(32, 1)), await salt(Buffer.alloc(32, 1)));
    assert.notEqual(await salt(Buffer.alloc(32, 1)), await salt(Buffer.alloc(32, 2)));
  });

  test("the final proof fails with not-authorized", async () => {
    const r = await run(mech("SCRAM-SHA-256"), new ScramClient("sha256", "romeo", "anything"));
    failure(r, "not-authorized");
    assert.equal((r as { username?: string }).username, "romeo");
  });

  test("a username the localpart profile refuses → not-authorized, not malformed", async () => {
    failure(await mech("SCRAM-SHA-256").step(new ScramClient("sha256", "ro meo", "x").first()), "not-authorized");
    failure(await mech("SCRAM-SHA-256").step(new ScramClient("sha256", "a\u0007", "x").first()), "not-authorized");
  });

  test("lookup errors → temporary-auth-failure", async () => {
    failure(
      await mech("SCRAM-SHA-256", { lookupError: true }).step(new ScramClient("sha256", "juliet", "x").first()),
      "temporary-auth-failure",
    );
  });
});

describe("authzid", () => {
  test("absent, or equal to user@host (after preparation), is accepted", async () => {
    for (const authzid of ["juliet@example.org", "Juliet@Example.ORG"]) {
      const r = await run(mech("SCRAM-SHA-256"), new ScramClient("sha256", "juliet", "r0m30myr0m30", { authzid }));
      assert.equal(r.kind, "success", authzid);
    }
  });

  test("anything else → invalid-authzid", async () => {
    for (const authzid of ["romeo@example.org", "juliet@example.com", "juliet", "juliet@example.org/balcony", "@example.org"]) {
      const r = await mech("SCRAM-SHA-256").step(new ScramClient("sha256", "juliet", "r0m30myr0m30", { authzid }).first());
      failure(r, "invalid-authzid");
    }
  });
});

describe("malformed messages → malformed-request", () => {
  const firsts = [
    "",
    "n,,",
    "n=juliet,r=abc",
    "x,,n=juliet,r=abc",
    "p,,n=juliet,r=abc",
    "n,b=x,n=juliet,r=abc",
    "n,a=,n=juliet,r=abc",
    "n,,m=ext,n=juliet,r=abc",
    "n,,r=abc,n=juliet",
    "n,,n=juliet",
    "n,,n=,r=abc",
    "n,,n=jul=2Xiet,r=abc",
    "n,,n=jul=iet,r=abc",
    "n,,n=juliet,r=",
    "n,,n=juliet,r=a b",
    "n,,n=juliet,r=abc,bogus",
    "n,,n=juliet,r=abc,,",
  ];
  for (const f of firsts) {
    test(`first message ${JSON.stringify(f)}`, async () => {
      const m = mech("SCRAM-SHA-256");
      // "" is the no-initial-response case; feed it twice so the second one is parsed.
      if (f === "") challenge(await m.step(Buffer.alloc(0)));
      failure(await m.step(b(f)), "malformed-request");
    });
  }

  test("first message that is not UTF-8", async () => {
    failure(await mech("SCRAM-SHA-256").step(Buffer.from([0x6e, 0x2c, 0x2c, 0x6e, 0x3d, 0xff, 0x2c, 0x72, 0x3d, 0x61])), "malformed-request");
  });

  test("oversized first message", async () => {
    failure(await mech("SCRAM-SHA-256").step(b(`n,,n=juliet,r=${"a".repeat(5000)}`)), "malformed-request");
  });

  const finals: [string, (good: string) => string][] = [
    ["no proof", (g) => g.replace(/,p=.*$/, "")],
    ["proof not base64", (g) => g.replace(/,p=.*$/, ",p=!!!!")],
    ["proof with bad padding", (g) => g.replace(/=$/, "")],
    ["proof of the wrong length", (g) => g.replace(/,p=.*$/, ",p=AAAA")],
    ["c= not base64", (g) => g.replace(/^c=biws/, "c=bi*s")],
    ["missing c=", (g) => g.replace(/^c=biws,/, "")],
    ["attributes out of order", (g) => g.replace(/^c=biws,(r=[^,]+)/, "$1,c=biws")],
    ["garbage", () => "hello"],
  ];
  for (const [label, mutate] of finals) {
    test(`final message: ${label}`, async () => {
      const m = mech("SCRAM-SHA-256");
      const c = new ScramClient("sha256", "juliet", "r0m30myr0m30");
      const good = c.final(challenge(await m.step(c.first()))).toString();
      failure(await m.step(b(mutate(good))), "malformed-request");
    });
  }

  test("final message with another nonce → not-authorized, even with a proof over it", async () => {
    for (const finalNonce of [(n: string) => n + "x", (n: string) => n.slice(0, -1), (n: string) => n.slice(0, 8)]) {
      const c = new ScramClient("sha256", "juliet", "r0m30myr0m30", { finalNonce });
      failure(await run(mech("SCRAM-SHA-256"), c), "not-authorized");
    }
  });

  test("unknown extensions in the client messages are ignored", async () => {
    const c = new ScramClient("sha256", "juliet", "r0m30myr0m30", { ext: "x=whatever" });
    assert.ok(c.first().toString().endsWith(",x=whatever"));
    const r = await run(mech("SCRAM-SHA-256"), c);
    assert.equal(r.kind, "success");
    assert.ok(c.verifyServerFinal((r as { data?: Buffer }).data));
  });
});

describe("cost", () => {
  test("a login does no key stretching on the server (fast even with 1M iterations stored)", async () => {
    const creds = await deriveCredentials("pw", 4096);
    creds.sha256.iterations = 1_000_000; // server must not recompute; client computes on its side (skipped here)
    const m = createMechanism("SCRAM-SHA-256", testContext(new Map([["juliet", creds]])), { allowPlainInsecure: false })!;
    const t0 = process.hrtime.bigint();
    const first = challenge(await m.step(new ScramClient("sha256", "juliet", "pw", { nonce: "abc" }).first()));
    assert.match(first.toString(), /,i=1000000$/);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 50, `first step took ${ms} ms`);
  });
});
