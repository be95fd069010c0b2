// [invites]: lifetimes, who may invite, quotas, brute-force limits, landing page, HTTP bootstrap (invites.md §6, §13–15).
import { z } from "zod";
import { int, seconds, table } from "./schema-common.ts";

export interface InvitesConfig {
  /** Default lifetime of an invite. */
  expirySeconds: number;
  /** Default lifetime of a password-reset invite. */
  resetExpirySeconds: number;
  /** Non-admins may make invites that register accounts (ibr=y on their contact invites). */
  allowUserInvites: boolean;
  /** Non-admins may make contact invites at all. */
  allowContactInvites: boolean;
  /** Live invites one non-admin may have at once; 0 = no limit. */
  maxLivePerUser: number;
  /** Longest lifetime a non-admin may ask for. */
  maxUserTtlSeconds: number;
  /** Answer to a bad `<preauth/>` token: Prosody's forbidden or XEP-0445's item-not-found. */
  preauthErrorCondition: "forbidden" | "item-not-found";
  /** Failed `<preauth/>` attempts before the stream is closed with policy-violation. */
  preauthFailuresPerStream: number;
  /** Failed token uses per IP, over every surface, within the window. */
  tokenFailures: { max: number; windowSeconds: number };
  /** How long used and revoked invites are kept for the audit trail. */
  tombstoneDays: number;
  purgeIntervalSeconds: number;
  /** Landing page template with {host} and {token}; empty = Hearth's own page when [http] is on, else none. */
  pageUrl: string;
  /** Kinds of invite that get a landing page: account, contact (= contact-only), account-and-contact, password-reset. */
  pageSupports: string[];
  /** Role names invites may carry besides admin, user, restricted (and operator). */
  extraRoles: string[];
  /** The HTTP bootstrap (invites.md §13.4): GET /bootstrap?token=SECRET gives an admin invite. */
  bootstrap: InvitesBootstrapConfig;
}

export interface InvitesBootstrapConfig {
  /** Empty: the /bootstrap route is off. */
  secret: string;
  /** Raise it to get a new invite; a lower one than already used is refused (410). */
  index: number;
  ttlSeconds: number;
}

const DAY = 86_400;
const YEAR = 365 * DAY;

const PAGE_URL = z.string().refine(
  (s) => {
    if (s === "") return true;
    try {
      const u = new URL(s.replace(/\{[a-z.]+(\|[a-z]+)?\}/g, "x"));
      return (u.protocol === "https:" || u.protocol === "http:") && !u.username && !u.password;
    } catch {
      return false;
    }
  },
  { message: 'must be empty or an absolute http(s) URL template, e.g. "https://{host}/invite/{token}/"' },
);

const BOOTSTRAP_SECRET = z
  .string()
  .refine((s) => s === "" || s.length >= 16, { message: "must be empty (off) or at least 16 characters" });

const ROLE_NAME = z
  .string()
  .regex(/^[\x21-\x7e]{1,64}$/, { message: "must be 1 to 64 printable ASCII characters without spaces" });

export const invitesSection: z.ZodType<InvitesConfig> = table({
  expiry: seconds(1, 10 * YEAR).default(7 * DAY),
  reset_expiry: seconds(1, 10 * YEAR).default(DAY),
  allow_user_invites: z.boolean().default(false),
  allow_contact_invites: z.boolean().default(true),
  max_live_per_user: int(0, 1_000_000).default(20),
  max_user_ttl: seconds(1, 10 * YEAR).default(7 * DAY),
  preauth_error_condition: z.enum(["forbidden", "item-not-found"]).default("forbidden"),
  preauth_failures_per_stream: int(1, 1000).default(5),
  token_failures: table({
    max: int(1, 1_000_000).default(10),
    window: seconds(1, 30 * DAY).default(600),
  })
    .transform(({ max, window }) => ({ max, windowSeconds: window }))
    .prefault({}),
  tombstone_days: int(0, 36_500).default(30),
  // Timers above ~24.8 days overflow setTimeout, so the interval stops at one day.
  purge_interval: seconds(1, DAY).default(3600),
  page_url: PAGE_URL.default(""),
  page_supports: z
    .array(z.enum(["account", "contact", "contact-only", "account-and-contact", "password-reset"]))
    .default(["account", "contact", "account-and-contact", "password-reset"]),
  extra_roles: z.array(ROLE_NAME).default([]),
  bootstrap: table({
    secret: BOOTSTRAP_SECRET.default(""),
    index: int(0, Number.MAX_SAFE_INTEGER).default(0),
    ttl: seconds(1, 10 * YEAR).default(28 * DAY),
  })
    .transform(({ ttl, ...rest }) => ({ ...rest, ttlSeconds: ttl }))
    .prefault({}),
})
  .transform(({ expiry, resetExpiry, maxUserTtl, purgeInterval, ...rest }) => ({
    ...rest,
    expirySeconds: expiry,
    resetExpirySeconds: resetExpiry,
    maxUserTtlSeconds: maxUserTtl,
    purgeIntervalSeconds: purgeInterval,
  }))
  .prefault({});
