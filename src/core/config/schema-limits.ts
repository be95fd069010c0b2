// [limits]: resource limits that keep one client from exhausting the server.
import { z } from "zod";
import { int, seconds, table } from "./schema-common.ts";

export interface LimitsConfig {
  maxStanzaBytes: number;
  maxDepth: number;
  maxAttrs: number;
  authTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  /** 0 = unlimited. */
  maxConnectionsPerIp: number;
  authFailures: { max: number; windowSeconds: number };
  /** 0 = offline messages are not stored. */
  offlineMaxPerUser: number;
}

const DAY = 86_400;

export const limitsSection: z.ZodType<LimitsConfig> = table({
  // RFC 6120 §13.12: a server must not cap stanzas below 10000 bytes.
  max_stanza_bytes: int(10_000, 64 * 1024 * 1024).default(262_144),
  max_depth: int(4, 1024).default(32),
  max_attrs: int(1, 4096).default(64),
  // Timers above ~24.8 days overflow setTimeout, so timeouts stop at one day.
  auth_timeout_seconds: seconds(1, DAY).default(30),
  idle_timeout_seconds: seconds(1, DAY).default(900),
  max_connections_per_ip: int(0, 1_000_000).default(1000),
  auth_failures: table({
    max: int(1, 1_000_000).default(5),
    window_seconds: seconds(1, 30 * DAY).default(300),
  }).prefault({}),
  offline_max_per_user: int(0, 1_000_000).default(1000),
}).prefault({});
