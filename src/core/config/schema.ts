// The whole hearth.toml. A new section is a schema-<name>.ts file plus one line in the table below.
import { z } from "zod";
import { appsSection } from "./schema-apps.ts";
import { nonEmptyString, table } from "./schema-common.ts";
import { hostsSection } from "./schema-hosts.ts";
import { invitesSection } from "./schema-invites.ts";
import { httpSection } from "./schema-http.ts";
import { limitsSection } from "./schema-limits.ts";
import { listenersSection } from "./schema-listeners.ts";
import { registrationSection } from "./schema-registration.ts";
import { storageSection } from "./schema-storage.ts";
import { tlsSection } from "./schema-tls.ts";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const configSchema = table({
  data_dir: nonEmptyString.default("./data"),
  log_level: z.enum(LOG_LEVELS).default("info"),
  storage: storageSection,
  tls: tlsSection,
  listeners: listenersSection,
  hosts: hostsSection,
  limits: limitsSection,
  registration: registrationSection,
  invites: invitesSection,
  http: httpSection,
  apps: appsSection,
});

type ConfigSections = z.output<typeof configSchema>;

/** Paths are absolute once loaded (see load.ts, which resolves every path key). */
export interface Config extends ConfigSections {
  /** Absolute, when loaded from a file. */
  configPath?: string;
}
