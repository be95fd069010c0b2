// Chooses the storage backend named in the configuration.
import type { Storage } from "./types.ts";
import { openSqliteStorage } from "./sqlite.ts";

import type { StorageConfig } from "../core/config/index.ts";

export type { StorageConfig };

export interface OpenStorageOptions {
  log?: (msg: string) => void;
}

export async function openStorage(cfg: StorageConfig, opts: OpenStorageOptions = {}): Promise<Storage> {
  switch (cfg.driver) {
    case "sqlite":
      return openSqliteStorage(cfg.path, opts);
    default: {
      const driver: never = cfg.driver;
      throw new Error(`unknown storage driver: ${String(driver)}`);
    }
  }
}
