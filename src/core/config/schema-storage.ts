// [storage]: where accounts, rosters, invites and offline messages live.
import { z } from "zod";
import { nonEmptyString, table } from "./schema-common.ts";

export interface StorageConfig {
  driver: "sqlite";
  /** Absolute after loading (resolved against dataDir), or ":memory:". */
  path: string;
}

export const storageSection: z.ZodType<StorageConfig> = table({
  driver: z.literal("sqlite").default("sqlite"),
  path: nonEmptyString.default("hearth.sqlite"),
}).prefault({});
