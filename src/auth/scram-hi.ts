// SCRAM key derivation (RFC 5802 §2.2, §3) from our addon in native/scram-hi: without the per-iteration context
// copying of crypto.pbkdf2, which halves the CPU a registration or a PLAIN login costs, and on CPUs with the
// SHA extensions straight on those instructions, which saves a fifth more. Derivations that wait together go to
// the addon as one batch, which it hashes two at a time on the SHA extensions, else up to eight at a time in
// SIMD lanes where Node's OpenSSL can. Everything runs on libuv's thread pool; the addon copies its inputs
// first and wipes its copies.

import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Batcher } from "./scram-batch.ts";

export type ScramHash = "sha1" | "sha256";

type KeyJob = [hash: ScramHash, password: Buffer, salt: Buffer, iterations: number];

interface ScramAddon {
  hi(hash: ScramHash, password: Buffer, salt: Buffer, iterations: number): Promise<Buffer>;
  keys(jobs: KeyJob[]): Promise<[Buffer, Buffer][]>;
  multiBuffer: Readonly<Record<ScramHash, boolean>>;
  /** The fewest lanes of a kind that the addon hashes side by side; fewer go one at a time. */
  minLanes: number;
  /** Whether the addon hashes on the CPU's SHA extensions (checked against OpenSSL when it loaded). */
  shaExtensions: boolean;
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

/** Whether the addon hashes several derivations of a kind side by side (x86-64 with Node's own OpenSSL). */
export const multiBuffer: Readonly<Record<ScramHash, boolean>> = addon.multiBuffer;
/** The fewest lanes of a kind worth a multi-buffer pass (2 with SHA-NI, else 3). */
export const minLanes: number = addon.minLanes;
/** Whether derivations run straight on the CPU's SHA extensions, two side by side. */
export const shaExtensions: boolean = addon.shaExtensions;

/** Eight lanes for each hash: the most one pass of OpenSSL's multi-buffer functions takes. */
const MAX_BATCH = 16;
/** libuv's default pool has four threads; one batch each, but never more than the cores we may run on. */
const SLOTS = Math.max(1, Math.min(availableParallelism(), Number(process.env.UV_THREADPOOL_SIZE) || 4));

/**
 * A credential set is one SHA-1 and one SHA-256 job. On the SHA extensions those two fill a pass of their own,
 * so a set never waits. Through OpenSSL's functions, fewer sets than fill its lanes cost more each: a lone set
 * a third more, or (AVX2) as much as a full batch. So under load they wait up to HOLD_MS for another
 * registration, which is little beside a registration's 25–35 ms then.
 */
const MIN_BATCH = shaExtensions ? 2 : multiBuffer.sha1 || multiBuffer.sha256 ? 2 * minLanes : 1;
const HOLD_MS = 2;

const batcher = new Batcher<KeyJob, [Buffer, Buffer]>({
  run: (jobs) => addon.keys(jobs),
  slots: SLOTS,
  maxBatch: MAX_BATCH,
  minBatch: MIN_BATCH,
  holdMs: HOLD_MS,
});

function argError(Type: typeof TypeError | typeof RangeError, code: string, message: string): Error {
  return Object.assign(new Type(message), { code });
}

/** The addon's own checks, made before a job joins a batch: a bad job must not fail the others in it. */
function checkJob(hash: unknown, password: unknown, salt: unknown, iterations: unknown): KeyJob {
  if (hash !== "sha1" && hash !== "sha256") throw argError(TypeError, "ERR_INVALID_ARG_TYPE", 'hash must be "sha1" or "sha256"');
  if (!Buffer.isBuffer(password)) throw argError(TypeError, "ERR_INVALID_ARG_TYPE", "password must be a Buffer");
  if (!Buffer.isBuffer(salt)) throw argError(TypeError, "ERR_INVALID_ARG_TYPE", "salt must be a Buffer");
  if (typeof iterations !== "number") throw argError(TypeError, "ERR_INVALID_ARG_TYPE", "iterations must be a number");
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 0xffff_ffff) {
    throw argError(RangeError, "ERR_OUT_OF_RANGE", "iterations must be an integer from 1 to 4294967295");
  }
  return [hash, Buffer.from(password), Buffer.from(salt), iterations];
}

/** Hi(): PBKDF2-HMAC with exactly one block of output, as SCRAM uses it; the result is the hash's length. */
export function scramHi(hash: ScramHash, password: Buffer, salt: Buffer, iterations: number): Promise<Buffer> {
  return addon.hi(hash, password, salt, iterations);
}

/**
 * StoredKey and ServerKey for a password; the salted password itself stays inside the addon. The inputs are
 * copied at once: the caller may reuse its buffers while the job waits for its batch.
 */
export async function scramKeys(
  hash: ScramHash,
  password: Buffer,
  salt: Buffer,
  iterations: number,
): Promise<{ storedKey: Buffer; serverKey: Buffer }> {
  const [storedKey, serverKey] = await batcher.submit(checkJob(hash, password, salt, iterations));
  return { storedKey, serverKey };
}
