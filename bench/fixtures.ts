// The bench's data directory: accounts (and the fan-out roster) written straight into SQLite, and the config.
import { join } from "node:path";
import { deriveCredentials } from "../src/auth/credentials.ts";
import { openStorage } from "../src/storage/open.ts";

export const DOMAIN = "bench.example";
export const PASSWORD = "bench password 1";
export const FAN_USER = "fan";
export const userName = (i: number): string => `u${i}`;
export const contactName = (i: number): string => `c${i}`;

export interface FixtureCounts {
  users: number;
  contacts: number;
}

/**
 * One SCRAM credential set (4096 iterations, like any account) shared by every account: deriving one per account
 * would cost minutes, and the server's work at login does not depend on which salt it reads.
 */
export async function writeFixtures(dataDir: string, counts: FixtureCounts): Promise<void> {
  const storage = await openStorage({ driver: "sqlite", path: join(dataDir, "hearth.sqlite") });
  try {
    const creds = await deriveCredentials(PASSWORD);
    await storage.transaction(async (tx) => {
      for (let i = 0; i < counts.users; i++) await tx.accounts.create(DOMAIN, userName(i), creds, "user");
      if (counts.contacts === 0) return;
      await tx.accounts.create(DOMAIN, FAN_USER, creds, "user");
      for (let i = 0; i < counts.contacts; i++) {
        const c = contactName(i);
        await tx.accounts.create(DOMAIN, c, creds, "user");
        const item = { subscription: "both", ask: false, approved: false, groups: ["Bench"] } as const;
        await tx.rosters.putItem(DOMAIN, FAN_USER, { ...item, jid: `${c}@${DOMAIN}`, groups: [...item.groups] });
        await tx.rosters.putItem(DOMAIN, c, { ...item, jid: `${FAN_USER}@${DOMAIN}`, groups: [...item.groups] });
      }
    });
  } finally {
    await storage.close();
  }
}

/** hearth.toml's shape: plaintext allowed (loopback measurement only), no per-IP cap, long timeouts, open registration. */
export function benchConfig(dataDir: string): Record<string, unknown> {
  return {
    data_dir: dataDir,
    log_level: "warn",
    storage: { driver: "sqlite", path: join(dataDir, "hearth.sqlite") },
    tls: { policy: "optional" },
    listeners: [{ kind: "starttls", address: "127.0.0.1", port: 0 }],
    hosts: [{ domain: DOMAIN }],
    http: { enabled: false },
    // Workloads 4 and 4b on one server: open registration, and invites used on top of it.
    registration: { allow_registration: true, invite_only: false },
    limits: {
      max_connections_per_ip: 0,
      auth_timeout_seconds: 600,
      idle_timeout_seconds: 86_400,
      auth_failures: { max: 1_000_000 },
    },
  };
}
