// [registration]: who may create an account, the password policy, and the per-IP limits (invites.md §14, §15.2).
import { isIP } from "node:net";
import { z } from "zod";
import { int, seconds, table } from "./schema-common.ts";

export interface RegistrationConfig {
  /** Open registration without an invite (only while inviteOnly is false). */
  allowRegistration: boolean;
  /** Only invite holders may register; invites work whatever allowRegistration says. */
  inviteOnly: boolean;
  /** Counted in Unicode code points after SASLprep. */
  minPasswordLength: number;
  passwordExcludeUsername: boolean;
  /** Registrations per IP per throttlePeriodSeconds; 0 = no throttle. */
  throttleMax: number;
  throttlePeriodSeconds: number;
  /** IPs or CIDRs exempt from the throttle (and the only ones allowed with allowlistOnly). */
  allowlist: string[];
  /** IPs or CIDRs refused. */
  blocklist: string[];
  allowlistOnly: boolean;
  /** Registrations with an invite skip the lists and the throttle. */
  invitesBypassLimits: boolean;
}

const DAY = 86_400;

export const ADDRESS_OR_CIDR = z.string().refine(
  (s) => {
    const [ip, bits, ...rest] = s.split("/");
    if (rest.length > 0 || !ip || isIP(ip) === 0) return false;
    if (bits === undefined) return true;
    if (!/^\d{1,3}$/.test(bits)) return false;
    return Number(bits) <= (isIP(ip) === 4 ? 32 : 128);
  },
  { message: "must be an IP address or a CIDR range such as 10.0.0.0/8" },
);

export const registrationSection: z.ZodType<RegistrationConfig> = table({
  allow_registration: z.boolean().default(false),
  invite_only: z.boolean().default(true),
  min_password_length: int(1, 1024).default(8),
  password_exclude_username: z.boolean().default(true),
  throttle_max: int(0, 1_000_000).default(0),
  throttle_period: seconds(1, 30 * DAY).default(60),
  allowlist: z.array(ADDRESS_OR_CIDR).default(["127.0.0.1", "::1"]),
  blocklist: z.array(ADDRESS_OR_CIDR).default([]),
  allowlist_only: z.boolean().default(false),
  invites_bypass_limits: z.boolean().default(false),
})
  .transform(({ throttlePeriod, ...rest }) => ({ ...rest, throttlePeriodSeconds: throttlePeriod }))
  .prefault({});
