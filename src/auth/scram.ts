// SCRAM server (RFC 5802, RFC 7677) with -PLUS channel binding (RFC 5929 tls-server-end-point, RFC 9266 tls-exporter).

import { randomBytes, timingSafeEqual } from "node:crypto";
import type { ScramCredential } from "../storage/types.ts";
import {
  authzidMatches,
  DEFAULT_ITERATIONS,
  digest,
  HASH_BYTES,
  hmac,
  SALT_BYTES,
  saslprepUsername,
  type ScramHash,
} from "./credentials.ts";
import type { ChannelBindingType, SaslContext, SaslFailureCondition, SaslMechanism, SaslStep } from "./sasl.ts";

export interface ScramOptions {
  ctx: SaslContext;
  hash: ScramHash;
  plus: boolean;
  /** A -PLUS mechanism was offered on this connection, so a client saying "y" was downgraded (RFC 5802 §6). */
  plusOffered: boolean;
  /** Keys fake salts for unknown users; see SaslOptions.fakeSaltSecret. */
  fakeSaltSecret?: Buffer | undefined;
  /** Fixed server part of the nonce. Only for reproducing RFC test vectors. */
  serverNonce?: string;
}

const MAX_MESSAGE_BYTES = 4096;
const NONCE_CHARS = /^[\x21-\x2b\x2d-\x7e]+$/;
const CB_NAME = /^[A-Za-z0-9.-]+$/;
const EXTENSION = /^[A-Za-z]=/;
const processSecret = randomBytes(32);
const utf8 = new TextDecoder("utf-8", { fatal: true });
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict RFC 4648 base64 (canonical padding, no whitespace); undefined when invalid. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const buf = Buffer.from(text, "base64");
  // Rejects non-canonical trailing bits ("QR=="), which Buffer would silently drop.
  return buf.toString("base64") === text ? buf : undefined;
}

type Failure = Extract<SaslStep, { kind: "failure" }>;

class ScramError extends Error {
  readonly condition: SaslFailureCondition;
  constructor(condition: SaslFailureCondition, text: string) {
    super(text);
    this.condition = condition;
  }
}

const malformed = (text: string): ScramError => new ScramError("malformed-request", text);

/** RFC 5802 saslname: "=2C" is ",", "=3D" is "="; any other "=" (or a bare ",") is an encoding error. */
function decodeSaslname(s: string): string {
  if (s.length === 0 || s.includes(",") || s.includes("\0")) throw malformed("Invalid name");
  if (!s.includes("=")) return s;
  return s.replace(/=(2C|3D)?/g, (_m, code: string | undefined) => {
    if (code === undefined) throw malformed("Invalid name encoding");
    return code === "2C" ? "," : "=";
  });
}

function decodeText(buf: Buffer): string {
  if (buf.length > MAX_MESSAGE_BYTES) throw malformed("Message too long");
  try {
    return utf8.decode(buf);
  } catch {
    throw malformed("Message is not UTF-8");
  }
}

function attr(part: string | undefined, name: string): string {
  if (part === undefined || !part.startsWith(name + "=")) throw malformed(`Expected attribute ${name}`);
  return part.slice(name.length + 1);
}

function checkExtensions(parts: string[]): void {
  for (const p of parts) if (!EXTENSION.test(p)) throw malformed("Invalid attribute");
}

interface Exchange {
  known: boolean;
  cred: ScramCredential;
  nonce: string;
  clientFirstBare: string;
  serverFirst: string;
  /** Expected decoded value of c=: the GS2 header, plus binding data for p=. */
  cbindInput: Buffer;
}

class ScramMechanism implements SaslMechanism {
  readonly name: string;
  readonly #o: ScramOptions;
  #state: "start" | "awaiting-first" | "awaiting-final" | "done" = "start";
  #exchange: Exchange | undefined;
  /** Prepared username, once known, reported with failures for throttling and logs. */
  #username: string | undefined;

  constructor(o: ScramOptions) {
    this.#o = o;
    this.name = `SCRAM-${o.hash === "sha1" ? "SHA-1" : "SHA-256"}${o.plus ? "-PLUS" : ""}`;
  }

  async step(response: Buffer): Promise<SaslStep> {
    const state = this.#state;
    if (state === "done") return { kind: "failure", condition: "malformed-request", text: "Exchange is over" };
    if (state === "start" && response.length === 0) {
      this.#state = "awaiting-first";
      return { kind: "challenge", data: Buffer.alloc(0) };
    }
    this.#state = "done";
    try {
      if (state === "awaiting-final") return this.#final(response);
      const step = await this.#first(response);
      if (step.kind === "challenge") this.#state = "awaiting-final";
      return step;
    } catch (e) {
      if (!(e instanceof ScramError)) throw e;
      const f: Failure = { kind: "failure", condition: e.condition, text: e.message };
      if (this.#username !== undefined) f.username = this.#username;
      return f;
    }
  }

  async #first(response: Buffer): Promise<SaslStep> {
    const { ctx, plus, plusOffered, hash } = this.#o;
    const msg = decodeText(response);
    const c1 = msg.indexOf(",");
    const c2 = c1 < 0 ? -1 : msg.indexOf(",", c1 + 1);
    if (c2 < 0) throw malformed("Missing GS2 header");
    const flag = msg.slice(0, c1);
    const authzPart = msg.slice(c1 + 1, c2);
    const gs2Header = msg.slice(0, c2 + 1);
    const clientFirstBare = msg.slice(c2 + 1);

    let cbData: Buffer | undefined;
    if (flag.startsWith("p=")) {
      const type = flag.slice(2);
      if (!CB_NAME.test(type)) throw malformed("Invalid channel-binding type");
      if (!plus) throw malformed("Channel binding requested with a non-PLUS mechanism");
      cbData = isBindingType(type) && ctx.secure ? ctx.channelBinding(type) : undefined;
      if (cbData === undefined) throw malformed(`Unsupported channel-binding type ${type}`);
    } else if (flag === "n" || flag === "y") {
      if (plus) throw malformed("-PLUS mechanism used without channel binding");
      if (flag === "y" && plusOffered) throw new ScramError("not-authorized", "Channel binding was offered");
    } else {
      throw malformed("Invalid channel-binding flag");
    }

    let authzid: string | undefined;
    if (authzPart !== "") authzid = decodeSaslname(attr(authzPart, "a"));

    const parts = clientFirstBare.split(",");
    if (parts[0]?.startsWith("m=")) throw malformed("Mandatory extensions are not supported");
    const rawUser = decodeSaslname(attr(parts[0], "n"));
    const clientNonce = attr(parts[1], "r");
    if (!NONCE_CHARS.test(clientNonce)) throw malformed("Invalid nonce");
    checkExtensions(parts.slice(2));

    let username: string;
    try {
      username = ctx.prepUsername(saslprepUsername(rawUser));
      if (username === "") throw new Error("empty");
    } catch {
      throw new ScramError("not-authorized", "Authentication failed");
    }
    this.#username = username;
    if (authzid !== undefined && !authzidMatches(authzid, username, ctx.host, ctx.prepUsername)) {
      throw new ScramError("invalid-authzid", "Authorization identity must be the account itself");
    }

    let stored: ScramCredential | undefined;
    try {
      stored = (await ctx.lookup(username))?.[hash];
    } catch {
      throw new ScramError("temporary-auth-failure", "Account lookup failed");
    }
    const cred = stored ?? this.#fakeCredential(username);
    const nonce = clientNonce + (this.#o.serverNonce ?? randomBytes(24).toString("base64"));
    const serverFirst = `r=${nonce},s=${cred.salt.toString("base64")},i=${cred.iterations}`;
    const header = Buffer.from(gs2Header, "utf8");
    this.#exchange = {
      known: stored !== undefined,
      cred,
      nonce,
      clientFirstBare,
      serverFirst,
      cbindInput: cbData ? Buffer.concat([header, cbData]) : header,
    };
    return { kind: "challenge", data: Buffer.from(serverFirst, "utf8") };
  }

  #final(response: Buffer): SaslStep {
    const ex = this.#exchange!;
    const { hash, plus } = this.#o;
    const msg = decodeText(response);
    const p = msg.lastIndexOf(",p=");
    if (p < 0) throw malformed("Missing proof");
    const withoutProof = msg.slice(0, p);
    const proof = decodeBase64Strict(msg.slice(p + 3));
    if (proof === undefined || proof.length !== HASH_BYTES[hash]) throw malformed("Invalid proof");
    const parts = withoutProof.split(",");
    const cbind = decodeBase64Strict(attr(parts[0], "c"));
    if (cbind === undefined) throw malformed("Invalid channel-binding data");
    const nonce = attr(parts[1], "r");
    checkExtensions(parts.slice(2));

    const cbOk = cbind.length === ex.cbindInput.length && timingSafeEqual(cbind, ex.cbindInput);
    if (!cbOk) {
      if (plus) throw new ScramError("not-authorized", "Channel binding does not match");
      throw malformed("Channel-binding data does not match the GS2 header");
    }
    if (nonce !== ex.nonce) throw new ScramError("not-authorized", "Nonce does not match");

    const authMessage = `${ex.clientFirstBare},${ex.serverFirst},${withoutProof}`;
    const clientSignature = hmac(hash, ex.cred.storedKey, authMessage);
    for (let i = 0; i < proof.length; i++) proof[i] = proof[i]! ^ clientSignature[i]!;
    const proofOk = timingSafeEqual(digest(hash, proof), ex.cred.storedKey);
    if (!proofOk || !ex.known) throw new ScramError("not-authorized", "Authentication failed");
    const serverSignature = hmac(hash, ex.cred.serverKey, authMessage);
    return { kind: "success", username: this.#username!, data: Buffer.from(`v=${serverSignature.toString("base64")}`) };
  }

  /** Same shape as a real credential and stable per username, so probing cannot tell the account is missing. */
  #fakeCredential(username: string): ScramCredential {
    const { hash, ctx } = this.#o;
    const key = this.#o.fakeSaltSecret ?? processSecret;
    const seed = hmac("sha256", key, `${hash}\0${ctx.host}\0${username}`);
    return {
      salt: seed.subarray(0, SALT_BYTES),
      iterations: DEFAULT_ITERATIONS,
      storedKey: randomBytes(HASH_BYTES[hash]),
      serverKey: randomBytes(HASH_BYTES[hash]),
    };
  }
}

function isBindingType(t: string): t is ChannelBindingType {
  return t === "tls-exporter" || t === "tls-server-end-point";
}

export function createScramMechanism(o: ScramOptions): SaslMechanism {
  return new ScramMechanism(o);
}
