// SCRAM's Hi() (RFC 5802 §2.2) from our addon in native/scram-hi: OpenSSL's own SHA block functions without the
// per-iteration context copying of crypto.pbkdf2, which halves the CPU a registration or a PLAIN login costs.

import { createRequire } from "node:module";

export type ScramHash = "sha1" | "sha256";

interface ScramHiAddon {
  /** Runs on libuv's thread pool; the password and salt are copied first, and the copy is wiped afterwards. */
  hi(hash: ScramHash, password: Buffer, salt: Buffer, iterations: number): Promise<Buffer>;
  hiSync(hash: ScramHash, password: Buffer, salt: Buffer, iterations: number): Buffer;
}

const ADDON_PATH = "../../native/scram-hi/build/Release/scram_hi.node";

function loadAddon(): ScramHiAddon {
  try {
    return createRequire(import.meta.url)(ADDON_PATH) as ScramHiAddon;
  } catch (err) {
    throw new Error(
      "Hearth's native SCRAM addon is not built (native/scram-hi). Run `npm install`, which builds it with " +
        "node-gyp (python3, make and a C compiler).",
      { cause: err },
    );
  }
}

const addon = loadAddon();

/** PBKDF2-HMAC with exactly one block of output, as SCRAM uses it; the result is the hash's length. */
export function scramHi(hash: ScramHash, password: Buffer, salt: Buffer, iterations: number): Promise<Buffer> {
  return addon.hi(hash, password, salt, iterations);
}

export function scramHiSync(hash: ScramHash, password: Buffer, salt: Buffer, iterations: number): Buffer {
  return addon.hiSync(hash, password, salt, iterations);
}
