// [[listeners]]: the sockets Hearth accepts client connections on.
import { isIP } from "node:net";
import { z } from "zod";
import { int, table } from "./schema-common.ts";

export interface ListenerConfig {
  kind: "starttls" | "directtls";
  address: string;
  /** 0 picks a free port (tests). */
  port: number;
}

const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

const listener = table({
  kind: z.enum(["starttls", "directtls"]),
  address: z.string().refine((a) => isIP(a) !== 0 || HOSTNAME.test(a), {
    message: "must be an IP address (such as 0.0.0.0 or ::) or a host name",
  }),
  port: int(0, 65535),
});

export const DEFAULT_LISTENERS: readonly ListenerConfig[] = [
  { kind: "starttls", address: "0.0.0.0", port: 5222 },
  { kind: "directtls", address: "0.0.0.0", port: 5223 },
];

export const listenersSection: z.ZodType<ListenerConfig[]> = z
  .array(listener)
  .superRefine((listeners, ctx) => {
    const seen = new Map<string, number>();
    listeners.forEach((l, i) => {
      if (l.port === 0) return;
      const key = isIP(l.address) === 6 ? `[${l.address}]:${l.port}` : `${l.address}:${l.port}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else ctx.addIssue({ code: "custom", path: [i], message: `same address and port as listeners[${first}] (${key})` });
    });
  })
  .default(() => DEFAULT_LISTENERS.map((l) => ({ ...l })));
