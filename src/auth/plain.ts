// PLAIN SASL mechanism, server side (RFC 4616), checked against the stored SCRAM-SHA-256 keys.

import { randomBytes } from "node:crypto";
import type { Credentials, ScramCredential } from "../storage/types.ts";
import { authzidMatches, DEFAULT_ITERATIONS, SALT_BYTES, saslprepUsername, verifyPassword } from "./credentials.ts";
import type { SaslContext, SaslMechanism, SaslStep } from "./sasl.ts";

const MAX_FIELD_BYTES = 255;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function fakeScram(bytes: number): ScramCredential {
  return { salt: randomBytes(SALT_BYTES), iterations: DEFAULT_ITERATIONS, storedKey: randomBytes(bytes), serverKey: randomBytes(bytes) };
}

/** Checked for unknown accounts so that they cost as much as a wrong password. */
const FAKE_CREDENTIALS: Credentials = { sha1: fakeScram(20), sha256: fakeScram(32) };

function splitMessage(msg: Buffer): [string, string, string] | undefined {
  if (msg.length > 3 * MAX_FIELD_BYTES + 2) return undefined;
  const n1 = msg.indexOf(0);
  const n2 = n1 < 0 ? -1 : msg.indexOf(0, n1 + 1);
  if (n2 < 0 || msg.indexOf(0, n2 + 1) >= 0) return undefined;
  const fields = [msg.subarray(0, n1), msg.subarray(n1 + 1, n2), msg.subarray(n2 + 1)];
  if (fields.some((f) => f.length > MAX_FIELD_BYTES) || fields[1]!.length === 0 || fields[2]!.length === 0) {
    return undefined;
  }
  try {
    return [utf8.decode(fields[0]), utf8.decode(fields[1]), utf8.decode(fields[2])];
  } catch {
    return undefined;
  }
}

class PlainMechanism implements SaslMechanism {
  readonly name = "PLAIN";
  readonly #ctx: SaslContext;
  #state: "start" | "awaiting" | "done" = "start";

  constructor(ctx: SaslContext) {
    this.#ctx = ctx;
  }

  async step(response: Buffer): Promise<SaslStep> {
    if (this.#state === "done") return { kind: "failure", condition: "malformed-request", text: "Exchange is over" };
    if (this.#state === "start" && response.length === 0) {
      this.#state = "awaiting";
      return { kind: "challenge", data: Buffer.alloc(0) };
    }
    this.#state = "done";
    const ctx = this.#ctx;
    const fields = splitMessage(response);
    if (fields === undefined) return { kind: "failure", condition: "malformed-request", text: "Invalid PLAIN message" };
    const [authzid, authcid, password] = fields;

    let username: string;
    try {
      username = ctx.prepUsername(saslprepUsername(authcid));
      if (username === "") throw new Error("empty");
    } catch {
      return { kind: "failure", condition: "not-authorized", text: "Authentication failed" };
    }
    if (authzid !== "" && !authzidMatches(authzid, username, ctx.host, ctx.prepUsername)) {
      return {
        kind: "failure",
        condition: "invalid-authzid",
        text: "Authorization identity must be the account itself",
        username,
      };
    }

    let creds: Credentials | undefined;
    try {
      creds = await ctx.lookup(username);
    } catch {
      return { kind: "failure", condition: "temporary-auth-failure", text: "Account lookup failed", username };
    }
    const ok = await verifyPassword(creds ?? FAKE_CREDENTIALS, password);
    if (!ok || creds === undefined) {
      return { kind: "failure", condition: "not-authorized", text: "Authentication failed", username };
    }
    return { kind: "success", username };
  }
}

export function createPlainMechanism(ctx: SaslContext): SaslMechanism {
  return new PlainMechanism(ctx);
}
