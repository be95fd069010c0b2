// Test fixtures for SASL: an in-memory SaslContext and a client-side SCRAM (RFC 5802) to drive the server.

import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import saslprep from "@mongodb-js/saslprep";
import type { ChannelBindingType, SaslContext } from "../../src/auth/sasl.ts";
import type { Credentials } from "../../src/storage/types.ts";

export interface TestContextOptions {
  host?: string;
  secure?: boolean;
  bindings?: Partial<Record<ChannelBindingType, Buffer>>;
  lookupError?: boolean;
}

/** Stand-in for the JID localpart profile: lowercases, refuses characters a localpart cannot hold. */
export function testPrepUsername(u: string): string {
  if (u === "" || /[\s"&'/:<>@]/u.test(u)) throw new Error("invalid localpart");
  return u.toLowerCase();
}

export function testContext(accounts: Map<string, Credentials>, o: TestContextOptions = {}): SaslContext & {
  lookups: string[];
} {
  const lookups: string[] = [];
  return {
    host: o.host ?? "example.org",
    secure: o.secure ?? false,
    lookups,
    channelBinding: (type) => o.bindings?.[type],
    lookup: async (username) => {
      lookups.push(username);
      if (o.lookupError) throw new Error("db down");
      return accounts.get(username);
    },
    prepUsername: testPrepUsername,
  };
}

type Hash = "sha1" | "sha256";

export interface ScramClientOptions {
  nonce?: string;
  /** GS2 channel-binding flag: "n", "y" or "p=<type>". */
  flag?: string;
  cbData?: Buffer;
  authzid?: string;
  /** Extension attributes appended to both client messages, e.g. "x=1". */
  ext?: string;
  /** Sends this nonce in the final message instead of the server's (the proof still covers what is sent). */
  finalNonce?: (serverNonce: string) => string;
}

const encodeName = (s: string): string => s.replace(/=/g, "=3D").replace(/,/g, "=2C");

/** Independent client side of SCRAM, written from RFC 5802 §3 and §5. */
export class ScramClient {
  readonly hash: Hash;
  readonly username: string;
  readonly password: string;
  readonly o: ScramClientOptions;
  readonly clientNonce: string;
  #clientFirstBare = "";
  #serverSignature: Buffer | undefined;

  constructor(hash: Hash, username: string, password: string, o: ScramClientOptions = {}) {
    this.hash = hash;
    this.username = username;
    this.password = password;
    this.o = o;
    this.clientNonce = o.nonce ?? randomBytes(18).toString("base64");
  }

  get gs2Header(): string {
    return `${this.o.flag ?? "n"},${this.o.authzid === undefined ? "" : "a=" + encodeName(this.o.authzid)},`;
  }

  first(): Buffer {
    const ext = this.o.ext === undefined ? "" : "," + this.o.ext;
    this.#clientFirstBare = `n=${encodeName(this.username)},r=${this.clientNonce}${ext}`;
    return Buffer.from(this.gs2Header + this.#clientFirstBare);
  }

  parseServerFirst(serverFirst: Buffer): { nonce: string; salt: Buffer; iterations: number } {
    const m = /^r=([^,]+),s=([A-Za-z0-9+/=]+),i=(\d+)$/.exec(serverFirst.toString());
    if (!m) throw new Error(`bad server-first ${serverFirst.toString()}`);
    if (!m[1]!.startsWith(this.clientNonce) || m[1]!.length <= this.clientNonce.length) throw new Error("bad nonce");
    return { nonce: m[1]!, salt: Buffer.from(m[2]!, "base64"), iterations: Number(m[3]) };
  }

  final(serverFirst: Buffer): Buffer {
    const { nonce, salt, iterations } = this.parseServerFirst(serverFirst);
    const len = this.hash === "sha1" ? 20 : 32;
    const salted = pbkdf2Sync(saslprep(this.password, { allowUnassigned: true }), salt, iterations, len, this.hash);
    const clientKey = createHmac(this.hash, salted).update("Client Key").digest();
    const storedKey = createHash(this.hash).update(clientKey).digest();
    const serverKey = createHmac(this.hash, salted).update("Server Key").digest();
    const cbind = Buffer.concat([Buffer.from(this.gs2Header), this.o.cbData ?? Buffer.alloc(0)]);
    const ext = this.o.ext === undefined ? "" : "," + this.o.ext;
    const sentNonce = this.o.finalNonce ? this.o.finalNonce(nonce) : nonce;
    const withoutProof = `c=${cbind.toString("base64")},r=${sentNonce}${ext}`;
    const authMessage = `${this.#clientFirstBare},${serverFirst.toString()},${withoutProof}`;
    const signature = createHmac(this.hash, storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
    this.#serverSignature = createHmac(this.hash, serverKey).update(authMessage).digest();
    return Buffer.from(`${withoutProof},p=${proof.toString("base64")}`);
  }

  verifyServerFinal(data: Buffer | undefined): boolean {
    return data !== undefined && this.#serverSignature !== undefined &&
      data.toString() === `v=${this.#serverSignature.toString("base64")}`;
  }
}
