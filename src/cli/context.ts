// Opens what a CLI command works on: the config and the storage (the server may be running too;
// SQLite's WAL lets both work at once).
import { ConfigError, loadConfig, type Config } from "../core/config/index.ts";
import { openStorage } from "../storage/open.ts";
import type { Storage } from "../storage/types.ts";
import { CliError } from "./errors.ts";

export function readConfig(path: string | undefined): Config {
  try {
    return loadConfig(path);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message, 2);
    throw e;
  }
}

export async function withStorage<T>(configPath: string | undefined, fn: (storage: Storage, config: Config) => Promise<T>): Promise<T> {
  const config = readConfig(configPath);
  const storage = await openStorage(config.storage);
  try {
    return await fn(storage, config);
  } finally {
    await storage.close();
  }
}
