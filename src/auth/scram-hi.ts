// SCRAM key derivation (RFC 5802 §2.2, §3) from our addon in native/scram-hi: OpenSSL's own SHA block functions
// without the per-iteration context copying of crypto.pbkdf2, which halves the CPU a registration or a PLAIN
// login costs. Both calls run on libuv's thread pool and copy their inputs first; the addon wipes its copies.

import { createRequire } from "node:module";

export type ScramHash = "sha1" | "sha256";

interface ScramAddon {
  hi(hash: ScramHash, password: Buffer, salt: Buffer, iterations: number): Promise<Buffer>;
  keys(hash: ScramHash, password: Buffer, salt: Buffer, iterations: number): Promise<[Buffer, Buffer]>;
}

const ADDON_PATH = "../../native/scram-hi/build/Release/scram_hi.node";

function loadAddon(): ScramAddon {
  try {
    return createRequire(import.meta.url)(ADDON_PATH) as ScramAddon;
  } catch (err) {
    throw new Error(
      "Hearth's native SCRAM addon is not built (native/scram-hi). Run `npm install`, which builds it with " +
        "node-gyp (python3, make and a C compiler).",
      { cause: err },
    );
  }
}

const addon = loadAddon();

/** Hi(): PBKDF2-HMAC with exactly one block of output, as SCRAM uses it; the result is the hash's length. */
export function scramHi(hash: ScramHash, password: Buffer, salt: Buffer, iterations: number): Promise<Buffer> {
  return addon.hi(hash, password, salt, iterations);
}

/** StoredKey and ServerKey for a password; the salted password itself stays inside the addon. */
export async function scramKeys(
  hash: ScramHash,
  password: Buffer,
  salt: Buffer,
  iterations: number,
): Promise<{ storedKey: Buffer; serverKey: Buffer }> {
  const [storedKey, serverKey] = await addon.keys(hash, password, salt, iterations);
  return { storedKey, serverKey };
}
