// Chooses the storage backend named in the configuration.
import type { Storage } from "./types.ts";
import { openSqliteStorage } from "./sqlite.ts";

export type StorageConfig = { driver: "sqlite"; path: string };

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
