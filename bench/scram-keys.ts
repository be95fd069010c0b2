// CPU per SCRAM credential set (SHA-1 and SHA-256 keys, 4096 iterations): node:crypto against our addon, with
// 10 sets (20 derivations) in flight as under load, and the addon also one set at a time (its one-lane path)
// and two (the smallest batch that may use the multi-buffer path).
// Run: taskset -c 1 node --import tsx bench/scram-keys.ts [derivations, default 1000]
// CPU time is the process's.
import { createHash, createHmac, pbkdf2 } from "node:crypto";
import { promisify } from "node:util";
import { scramKeys, type ScramHash } from "../src/auth/scram-hi.ts";

const pbkdf2Async = promisify(pbkdf2);
const LENGTH: Record<ScramHash, number> = { sha1: 20, sha256: 32 };
const password = Buffer.from("correct horse battery staple");
const salt = Buffer.alloc(16, 7);

async function withNodeCrypto(hash: ScramHash): Promise<unknown> {
  const salted = await pbkdf2Async(password, salt, 4096, LENGTH[hash], hash);
  const clientKey = createHmac(hash, salted).update("Client Key").digest();
  return [createHash(hash).update(clientKey).digest(), createHmac(hash, salted).update("Server Key").digest()];
}

const withAddon = (hash: ScramHash): Promise<unknown> => scramKeys(hash, password, salt, 4096);

async function measure(name: string, derive: (hash: ScramHash) => Promise<unknown>, sets: number, inFlight: number): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let done = 0; done < sets; done += inFlight) {
    await Promise.all(Array.from({ length: 2 * inFlight }, (_, i) => derive(i % 2 === 0 ? "sha1" : "sha256")));
  }
  const cpu = process.cpuUsage(cpu0);
  const ms = (cpu.user + cpu.system) / 1000 / sets;
  console.log(`${name.padEnd(31)} ${ms.toFixed(3)} ms CPU per credential set (SHA-1 + SHA-256), wall ${((performance.now() - t0) / sets).toFixed(3)} ms`);
}

const sets = Number(process.argv[2] ?? 1000);
for (let round = 0; round < 2; round++) {
  await measure("node:crypto, 10 sets in flight", withNodeCrypto, sets, 10);
  await measure("addon, 1 set in flight", withAddon, sets, 1);
  await measure("addon, 2 sets in flight", withAddon, sets, 2);
  await measure("addon, 10 sets in flight", withAddon, sets, 10);
}
