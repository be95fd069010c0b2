// [http]: the web server shared by the invite pages, web registration and the invites API.
import { isIP } from "node:net";
import { z } from "zod";
import { int, seconds, table } from "./schema-common.ts";

export interface HttpConfig {
  enabled: boolean;
  address: string;
  /** Plain HTTP port; 0 picks a free port (tests). */
  port: number;
  /** Serve HTTPS too, with each host's certificate (SNI). */
  https: boolean;
  httpsPort: number;
  /** The address people reach the pages at, e.g. "https://chat.example.org" behind a reverse proxy.
   *  Empty: https://HOST:HTTPS_PORT (or http://HOST:PORT when HTTPS is off). */
  publicUrl: string;
  /** Proxies whose X-Forwarded-For/-Proto/-Host headers are believed (IPs or CIDRs). */
  trustedProxies: string[];
  maxBodyBytes: number;
  /** Requests per client IP per window, over every route. */
  rateLimit: { max: number; windowSeconds: number };
  /** Name shown on pages; empty means the host's domain. */
  siteName: string;
}

const ADDRESS_OR_CIDR = z.string().refine(
  (s) => {
    const [ip, bits, ...rest] = s.split("/");
    if (rest.length > 0 || !ip || isIP(ip) === 0) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return Number.isInteger(n) && n >= 0 && n <= (isIP(ip) === 4 ? 32 : 128);
  },
  { message: "must be an IP address or a CIDR range such as 10.0.0.0/8" },
);

const PUBLIC_URL = z.string().refine(
  (s) => {
    if (s === "") return true;
    try {
      const u = new URL(s);
      return (u.protocol === "https:" || u.protocol === "http:") && u.search === "" && u.hash === "" && !u.username;
    } catch {
      return false;
    }
  },
  { message: "must be an http(s) URL without query, fragment or credentials, e.g. https://chat.example.org" },
);

export const httpSection: z.ZodType<HttpConfig> = table({
  enabled: z.boolean().default(true),
  address: z.string().refine((a) => isIP(a) !== 0, { message: "must be an IP address such as 0.0.0.0 or ::" }).default("0.0.0.0"),
  port: int(0, 65535).default(5280),
  https: z.boolean().default(true),
  https_port: int(0, 65535).default(5281),
  public_url: PUBLIC_URL.default(""),
  trusted_proxies: z.array(ADDRESS_OR_CIDR).default([]),
  max_body_bytes: int(1024, 16 * 1024 * 1024).default(65_536),
  rate_limit: table({
    max: int(1, 1_000_000).default(300),
    window_seconds: seconds(1, 86_400).default(60),
  }).prefault({}),
  site_name: z.string().max(100).default(""),
}).prefault({});
