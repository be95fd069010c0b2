export { ConfigError } from "./errors.ts";
export { defaultConfig, loadConfig, parseConfig } from "./load.ts";
export { configSchema, LOG_LEVELS } from "./schema.ts";
export type { Config, LogLevel } from "./schema.ts";
export type { HostConfig } from "./schema-hosts.ts";
export type { LimitsConfig } from "./schema-limits.ts";
export type { ListenerConfig } from "./schema-listeners.ts";
export type { StorageConfig } from "./schema-storage.ts";
export type { TlsConfig } from "./schema-tls.ts";
