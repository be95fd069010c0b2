import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { minLanes, multiBuffer, scramHi, scramKeys, shaExtensions, type ScramHash } from "../../src/auth/scram-hi.ts";

const LENGTH: Record<ScramHash, number> = { sha1: 20, sha256: 32 };
const utf8 = (s: string) => Buffer.from(s, "utf8");

/** RFC 5802 §3 spelled out with node:crypto, to check the addon against. */
function referenceKeys(hash: ScramHash, password: Buffer, salt: Buffer, iterations: number) {
  const salted = pbkdf2Sync(password, salt, iterations, LENGTH[hash], hash);
  const clientKey = createHmac(hash, salted).update("Client Key").digest();
  return {
    storedKey: createHash(hash).update(clientKey).digest(),
    serverKey: createHmac(hash, salted).update("Server Key").digest(),
  };
}

describe("scramHi and scramKeys (native addon)", () => {
  // RFC 6070 (PBKDF2-HMAC-SHA1) and RFC 7914 §11 (PBKDF2-HMAC-SHA256); Hi() is the first block of the output.
  const vectors: [ScramHash, string, string, number, string][] = [
    ["sha1", "password", "salt", 1, "0c60c80f961f0e71f3a9b524af6012062fe037a6"],
    ["sha1", "password", "salt", 2, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"],
    ["sha1", "password", "salt", 4096, "4b007901b765489abead49d926f721d065a429c1"],
    ["sha1", "passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, "3d2eec4fe41c849b80c8d83662c0e44a8b291a96"],
    ["sha1", "pass\0word", "sa\0lt", 4096, "56fa6aa75548099dcc37d7f03425e0c3"],
    ["sha256", "passwd", "salt", 1, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"],
    ["sha256", "Password", "NaCl", 80000, "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"],
  ];
  for (const [hash, password, salt, iterations, expected] of vectors) {
    test(`${hash} ${JSON.stringify(password)} / ${JSON.stringify(salt)} / ${iterations}`, async () => {
      const got = await scramHi(hash, utf8(password), utf8(salt), iterations);
      assert.equal(got.length, LENGTH[hash]);
      assert.ok(got.toString("hex").startsWith(expected), got.toString("hex"));
    });
  }

  test("agrees with crypto.pbkdf2Sync on random inputs, passwords longer than a block and empty ones included", async () => {
    for (let i = 0; i < 200; i++) {
      const password = randomBytes(i % 131);
      const salt = randomBytes(i % 37);
      const iterations = 1 + (i % 23);
      for (const hash of ["sha1", "sha256"] as const) {
        const expected = pbkdf2Sync(password, salt, iterations, LENGTH[hash], hash);
        assert.deepEqual(await scramHi(hash, password, salt, iterations), expected, `${hash} case ${i}`);
        assert.deepEqual(await scramKeys(hash, password, salt, iterations), referenceKeys(hash, password, salt, iterations), `${hash} keys ${i}`);
      }
    }
  });

  test("RFC 5802 §5 keys for user/pencil", async () => {
    const keys = await scramKeys("sha1", utf8("pencil"), Buffer.from("QSXCR+Q6sek8bf92", "base64"), 4096);
    assert.equal(keys.storedKey.toString("hex"), "e9d94660c39d65c38fbad91c358f14da0eef2bd6");
    assert.equal(keys.serverKey.toString("hex"), "0fe09258b3ac852ba502cc62ba903eaacdbf7d31");
  });

  test("concurrent calls each get their own answer", async () => {
    const inputs = Array.from({ length: 64 }, (_, i) => ({ password: randomBytes(12), salt: randomBytes(16), iterations: 100 + i }));
    const results = await Promise.all(inputs.map((x) => scramHi("sha256", x.password, x.salt, x.iterations)));
    results.forEach((r, i) => assert.deepEqual(r, pbkdf2Sync(inputs[i]!.password, inputs[i]!.salt, inputs[i]!.iterations, 32, "sha256")));
  });

  test("the caller may overwrite its buffers while the work runs", async () => {
    const password = utf8("pencil");
    const salt = utf8("0123456789abcdef");
    const pending = scramHi("sha1", password, salt, 4096);
    const keys = scramKeys("sha256", password, salt, 4096);
    password.fill(0);
    salt.fill(0);
    assert.deepEqual(await pending, pbkdf2Sync("pencil", "0123456789abcdef", 4096, 20, "sha1"));
    assert.deepEqual(await keys, referenceKeys("sha256", utf8("pencil"), utf8("0123456789abcdef"), 4096));
  });

  test("x86-64 Node with its own OpenSSL hashes batches side by side", () => {
    const bundled = !(process.config.variables as { node_shared_openssl?: boolean }).node_shared_openssl;
    const expected = process.arch === "x64" && process.platform === "linux" && bundled;
    assert.deepEqual(multiBuffer, { sha1: expected, sha256: expected });
  });

  const x64Linux = process.arch === "x64" && process.platform === "linux";
  const shaNi = x64Linux && /^flags\s*:.*\bsha_ni\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));

  test("with SHA-NI two lanes are worth a multi-buffer pass, otherwise three", () => {
    assert.equal(minLanes, shaNi ? 2 : 3);
  });

  test("on a CPU with SHA-NI the addon hashes on the SHA extensions (and its load-time check passed)", () => {
    assert.equal(shaExtensions, shaNi);
  });

  test("many derivations at once, of both hashes and different counts and lengths, each get their own keys", async () => {
    // More than one batch's worth, so that full eight-lane groups, partial groups and lone jobs all occur.
    const inputs = Array.from({ length: 70 }, (_, i) => ({
      hash: (i % 3 === 0 ? "sha1" : "sha256") as ScramHash,
      password: randomBytes((i * 7) % 150),
      salt: randomBytes(i % 24),
      iterations: 1 + ((i * 37) % 300),
    }));
    const results = await Promise.all(inputs.map((x) => scramKeys(x.hash, x.password, x.salt, x.iterations)));
    results.forEach((r, i) => {
      const x = inputs[i]!;
      assert.deepEqual(r, referenceKeys(x.hash, x.password, x.salt, x.iterations), `job ${i}`);
    });
  });

  test("one batch whose neighbouring jobs have different counts, the longer first and the shorter first", async () => {
    const addon = createRequire(import.meta.url)("../../native/scram-hi/build/Release/scram_hi.node") as {
      keys(jobs: unknown): Promise<[Buffer, Buffer][]>;
    };
    // Pairs of a hash in order, then one of each hash left over (a SHA-1 and a SHA-256 lane side by side).
    const counts: Record<ScramHash, number[]> = { sha1: [5, 300, 300, 5, 1, 2, 4096, 4095, 7], sha256: [5, 300, 300, 5, 1, 2, 4096, 4095, 3] };
    const jobs = (["sha1", "sha256"] as const).flatMap((hash) =>
      counts[hash].map((n, i) => [hash, utf8(`pw ${hash} ${i}`), utf8(`salt ${i}`), n] as [ScramHash, Buffer, Buffer, number]),
    );
    const got = await addon.keys(jobs);
    got.forEach(([storedKey, serverKey], i) => {
      const [hash, pw, salt, n] = jobs[i]!;
      assert.deepEqual({ storedKey, serverKey }, referenceKeys(hash, pw, salt, n), `job ${i}: ${hash}, ${n} iterations`);
    });
  });

  test("a bad job is refused alone: the jobs submitted with it still get their keys", async () => {
    const pw = utf8("pencil");
    const salt = utf8("salt");
    const good = [scramKeys("sha1", pw, salt, 10), scramKeys("sha256", pw, salt, 10), scramKeys("sha1", pw, salt, 11)];
    const bad = scramKeys("sha1", pw, salt, 0);
    await assert.rejects(bad, { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
    assert.deepEqual(await Promise.all(good), [
      referenceKeys("sha1", pw, salt, 10),
      referenceKeys("sha256", pw, salt, 10),
      referenceKeys("sha1", pw, salt, 11),
    ]);
  });

  test("the addon's batch call checks its jobs", async () => {
    const addon = createRequire(import.meta.url)("../../native/scram-hi/build/Release/scram_hi.node") as {
      keys(jobs: unknown): Promise<unknown>;
    };
    const pw = utf8("pencil");
    const salt = utf8("salt");
    for (const jobs of [undefined, [], "jobs", [["sha1", pw, salt]], [["sha1", pw, salt, 1], "job"]]) {
      assert.throws(() => addon.keys(jobs), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" }, JSON.stringify(jobs));
    }
    assert.throws(() => addon.keys([["sha1", pw, salt, 1], ["sha1", pw, salt, 0]]), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
    assert.throws(() => addon.keys([["md5", pw, salt, 1]]), { name: "TypeError", message: /sha1.*sha256/ });
    const [[stored, server]] = (await addon.keys([["sha1", pw, salt, 1]])) as [[Buffer, Buffer]];
    assert.deepEqual({ storedKey: stored, serverKey: server }, referenceKeys("sha1", pw, salt, 1));
  });

  test("bad arguments fail with Node's error codes, for both functions", async () => {
    const pw = utf8("pencil");
    const salt = utf8("salt");
    for (const fn of [scramHi, scramKeys] as ((...a: unknown[]) => unknown)[]) {
      const call = (...args: unknown[]) => async () => fn(...args);
      await assert.rejects(call("md5", pw, salt, 1), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: /sha1.*sha256/ });
      await assert.rejects(call("sha256-extra", pw, salt, 1), { name: "TypeError" });
      await assert.rejects(call(1, pw, salt, 1), { name: "TypeError" });
      await assert.rejects(call("sha1", "pencil", salt, 1), { name: "TypeError", message: /password must be a Buffer/ });
      await assert.rejects(call("sha1", pw, "salt", 1), { name: "TypeError", message: /salt must be a Buffer/ });
      await assert.rejects(call("sha1", pw, salt, "4096"), { name: "TypeError", message: /iterations/ });
      await assert.rejects(call("sha1", pw, salt), { name: "TypeError", message: /iterations must be a number/ });
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32]) {
        await assert.rejects(call("sha1", pw, salt, bad), { name: "RangeError", code: "ERR_OUT_OF_RANGE" }, String(bad));
      }
    }
  });
});
