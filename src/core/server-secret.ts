// A per-installation secret kept in the data directory (mode 0600), for values that must stay stable
// across restarts but never leave the server, such as SCRAM's fake salts for unknown users.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function ensureServerSecret(dataDir: string): Buffer {
  const path = join(dataDir, "server-secret");
  if (existsSync(path)) {
    const secret = readFileSync(path);
    if (secret.length >= 32) return secret;
    throw new Error(`${path} is too short to be a server secret; remove it to make a new one`);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  writeFileSync(path, secret, { mode: 0o600, flag: "wx" });
  return secret;
}
