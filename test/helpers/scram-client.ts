// Client side of SCRAM (RFC 5802) for tests and the benchmark; the salted password can be cached.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";

export type ScramHash = "sha1" | "sha256";

export class ScramClient {
  private readonly hash: ScramHash;
  private readonly username: string;
  private readonly password: string;
  private readonly nonce = randomBytes(18).toString("base64");
  private readonly gs2: string;
  private readonly cbData: Buffer;
  private clientFirstBare = "";
  private serverSignature = "";
  private readonly saltedCache: Map<string, Buffer> | undefined;

  constructor(opts: {
    hash: ScramHash;
    username: string;
    password: string;
    cache?: Map<string, Buffer>;
    channelBinding?: { type: string; data: Buffer };
    gs2Flag?: "n" | "y";
  }) {
    this.hash = opts.hash;
    this.username = opts.username;
    this.password = opts.password;
    this.saltedCache = opts.cache;
    this.gs2 = opts.channelBinding ? `p=${opts.channelBinding.type},,` : `${opts.gs2Flag ?? "n"},,`;
    this.cbData = opts.channelBinding?.data ?? Buffer.alloc(0);
  }

  first(): Buffer {
    this.clientFirstBare = `n=${this.username.replace(/=/g, "=3D").replace(/,/g, "=2C")},r=${this.nonce}`;
    return Buffer.from(this.gs2 + this.clientFirstBare);
  }

  final(serverFirst: Buffer): Buffer {
    const sf = serverFirst.toString();
    const attrs = Object.fromEntries(sf.split(",").map((p) => [p[0], p.slice(2)]));
    const salt = Buffer.from(attrs.s!, "base64");
    const iterations = Number(attrs.i);
    const len = this.hash === "sha1" ? 20 : 32;
    const cacheKey = `${this.hash}:${this.username}:${attrs.s}:${iterations}`;
    let salted = this.saltedCache?.get(cacheKey);
    if (!salted) {
      salted = pbkdf2Sync(this.password, salt, iterations, len, this.hash);
      this.saltedCache?.set(cacheKey, salted);
    }
    const clientKey = hmac(this.hash, salted, "Client Key");
    const storedKey = createHash(this.hash).update(clientKey).digest();
    const cbind = Buffer.concat([Buffer.from(this.gs2), this.cbData]).toString("base64");
    const withoutProof = `c=${cbind},r=${attrs.r}`;
    const authMessage = `${this.clientFirstBare},${sf},${withoutProof}`;
    const signature = hmac(this.hash, storedKey, authMessage);
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ signature[i]!;
    const serverKey = hmac(this.hash, salted, "Server Key");
    this.serverSignature = hmac(this.hash, serverKey, authMessage).toString("base64");
    return Buffer.from(`${withoutProof},p=${proof.toString("base64")}`);
  }

  /** True when the server proved it knows the password too. */
  verify(serverFinal: Buffer): boolean {
    return serverFinal.toString() === `v=${this.serverSignature}`;
  }
}

function hmac(hash: ScramHash, key: Buffer, data: string): Buffer {
  return createHmac(hash, key).update(data).digest();
}
