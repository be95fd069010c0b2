import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  availableMechanisms,
  channelBindingTypes,
  createMechanism,
  decodeSaslPayload,
  encodeSaslPayload,
} from "../../src/auth/sasl.ts";
import { testContext } from "./helpers.ts";

const none = new Map();
const CB = Buffer.alloc(32, 7);

describe("availableMechanisms", () => {
  test("plain TCP: SCRAM only, PLAIN only when allowed", () => {
    const ctx = testContext(none, { secure: false, bindings: { "tls-exporter": CB } });
    assert.deepEqual(availableMechanisms(ctx, { allowPlainInsecure: false }), ["SCRAM-SHA-256", "SCRAM-SHA-1"]);
    assert.deepEqual(availableMechanisms(ctx, { allowPlainInsecure: true }), ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"]);
  });

  test("TLS without binding data: no -PLUS", () => {
    const ctx = testContext(none, { secure: true });
    assert.deepEqual(availableMechanisms(ctx, { allowPlainInsecure: false }), ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"]);
  });

  test("TLS with binding data: -PLUS first", () => {
    const ctx = testContext(none, { secure: true, bindings: { "tls-server-end-point": CB } });
    assert.deepEqual(availableMechanisms(ctx, { allowPlainInsecure: false }), [
      "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN",
    ]);
  });
});

describe("channelBindingTypes", () => {
  test("tls-exporter before tls-server-end-point, only those with data, none without TLS", () => {
    const both = { "tls-exporter": CB, "tls-server-end-point": CB };
    assert.deepEqual(channelBindingTypes(testContext(none, { secure: true, bindings: both })), ["tls-exporter", "tls-server-end-point"]);
    assert.deepEqual(channelBindingTypes(testContext(none, { secure: true, bindings: { "tls-server-end-point": CB } })), [
      "tls-server-end-point",
    ]);
    assert.deepEqual(channelBindingTypes(testContext(none, { secure: false, bindings: both })), []);
  });
});

describe("createMechanism", () => {
  test("creates what is offered, undefined otherwise", () => {
    const insecure = testContext(none, { secure: false });
    const opts = { allowPlainInsecure: false };
    assert.equal(createMechanism("SCRAM-SHA-1", insecure, opts)?.name, "SCRAM-SHA-1");
    assert.equal(createMechanism("SCRAM-SHA-256", insecure, opts)?.name, "SCRAM-SHA-256");
    for (const n of ["PLAIN", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "DIGEST-MD5", "scram-sha-1", ""]) {
      assert.equal(createMechanism(n, insecure, opts), undefined, n);
    }
    const bound = testContext(none, { secure: true, bindings: { "tls-exporter": CB } });
    for (const n of ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"]) {
      assert.equal(createMechanism(n, bound, opts)?.name, n);
    }
  });
});

describe("payload coding (RFC 6120 §6.4)", () => {
  test("decode", () => {
    assert.deepEqual(decodeSaslPayload("="), Buffer.alloc(0));
    assert.deepEqual(decodeSaslPayload(""), Buffer.alloc(0));
    assert.deepEqual(decodeSaslPayload("biws"), Buffer.from("n,,"));
    assert.deepEqual(decodeSaslPayload("\n  AGp1bGlldAByMG0zMG15cjBtMzA=\n"), Buffer.from("\0juliet\0r0m30myr0m30"));
    for (const bad of ["biw", "bi*s", "bi ws", "biws=", "QR==", "====", "YQ", "YQ=", "=biws"]) {
      assert.equal(decodeSaslPayload(bad), undefined, bad);
    }
  });

  test("encode", () => {
    assert.equal(encodeSaslPayload(undefined), "");
    assert.equal(encodeSaslPayload(Buffer.alloc(0)), "=");
    assert.equal(encodeSaslPayload(Buffer.from("n,,")), "biws");
  });
});
