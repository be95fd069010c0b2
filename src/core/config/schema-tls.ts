// [tls]: whether client streams must be encrypted.
import { z } from "zod";
import { table } from "./schema-common.ts";

export interface TlsConfig {
  /** "optional" lets streams stay plaintext; meant only for benchmarks on loopback. */
  policy: "required" | "optional";
}

export const tlsSection: z.ZodType<TlsConfig> = table({
  policy: z.enum(["required", "optional"]).default("required"),
}).prefault({});
