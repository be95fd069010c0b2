// Registration limits per client IP (Prosody's mod_register_limits, invites.md §15.2): block list, allow-list-only, throttle.
import { BlockList, isIP } from "node:net";
import type { RegistrationConfig } from "../../core/config/index.ts";
import type { UserRegistering } from "../../core/events.ts";
import type { Logger } from "../../core/logger.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";

export const BLOCKLISTED = "Your IP address is blocklisted";
export const NOT_ALLOWLISTED = "Your IP address is not allowlisted";
export const THROTTLED = "Too many registrations from this IP address recently";

/** IPv4-mapped IPv6 addresses count as the IPv4 address, so one client has one key. */
export function normaliseIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1]! : ip.toLowerCase();
}

const MAX_REMEMBERED = 4096;

/** A set of IP addresses and CIDR ranges, IPv4 and IPv6. */
export class IpSet {
  readonly #list = new BlockList();
  readonly #empty: boolean;
  /** BlockList.check costs ~10 µs (it builds a SocketAddress); clients come back, so answers are kept. */
  readonly #answers = new Map<string, boolean>();

  constructor(entries: readonly string[]) {
    this.#empty = entries.length === 0;
    for (const entry of entries) {
      const [ip = "", bits] = entry.split("/");
      const family = isIP(ip);
      if (family === 0) throw new RangeError(`not an IP address or CIDR range: ${entry}`);
      const type = family === 4 ? "ipv4" : "ipv6";
      if (bits === undefined) this.#list.addAddress(ip, type);
      else this.#list.addSubnet(ip, Number(bits), type);
    }
  }

  has(ip: string): boolean {
    if (this.#empty) return false;
    let answer = this.#answers.get(ip);
    if (answer === undefined) {
      answer = this.#check(ip);
      if (this.#answers.size >= MAX_REMEMBERED) this.#answers.clear();
      this.#answers.set(ip, answer);
    }
    return answer;
  }

  #check(ip: string): boolean {
    const n = normaliseIp(ip);
    const family = isIP(n);
    if (family === 0) return false;
    return this.#list.check(n, family === 4 ? "ipv4" : "ipv6");
  }
}

export interface ThrottleOptions {
  /** Registrations per period (the bucket's size). */
  max: number;
  periodMs: number;
  /** IPs remembered; the least recently seen is forgotten first. */
  maxKeys?: number;
  now?: () => number;
}

/** A token bucket per IP that refills `max` tokens per period, in an LRU map of bounded size. */
export class RegistrationThrottle {
  readonly #max: number;
  readonly #perMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(opts: ThrottleOptions) {
    if (!(opts.max >= 1) || !(opts.periodMs > 0)) throw new RangeError("max must be >= 1 and periodMs > 0");
    this.#max = opts.max;
    this.#perMs = opts.max / opts.periodMs;
    this.#maxKeys = Math.max(1, opts.maxKeys ?? 1000);
    this.#now = opts.now ?? Date.now;
  }

  /** Takes one registration from the IP's bucket; false when it is empty. */
  take(ip: string): boolean {
    const key = normaliseIp(ip);
    const now = this.#now();
    const b = this.#buckets.get(key) ?? { tokens: this.#max, at: now };
    b.tokens = Math.min(this.#max, b.tokens + Math.max(0, now - b.at) * this.#perMs);
    b.at = now;
    this.#buckets.delete(key);
    this.#buckets.set(key, b);
    if (this.#buckets.size > this.#maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.#buckets.size;
  }
}

export interface RegistrationLimits {
  /** Block list and allow-list-only: run first. Returns true when it vetoed. */
  lists(e: UserRegistering): boolean;
  /** The throttle: run last, so registrations refused for other reasons do not use up the bucket. */
  throttle(e: UserRegistering): boolean;
}

export function registrationLimits(cfg: RegistrationConfig, opts: { log?: Logger; now?: () => number } = {}): RegistrationLimits {
  const allow = new IpSet(cfg.allowlist);
  const block = new IpSet(cfg.blocklist);
  const throttle =
    cfg.throttleMax > 0 ? new RegistrationThrottle({ max: cfg.throttleMax, periodMs: cfg.throttlePeriodSeconds * 1000, now: opts.now }) : undefined;

  const applies = (e: UserRegistering): e is UserRegistering & { ip: string } => {
    if (e.veto !== undefined) return false;
    if (e.invite !== undefined && cfg.invitesBypassLimits) return false;
    if (e.ip === undefined) {
      if (e.via !== "cli") opts.log?.warn({ via: e.via }, "registration without a client IP: IP limits not applied");
      return false;
    }
    return true;
  };

  return {
    lists(e) {
      if (!applies(e)) return false;
      if (block.has(e.ip)) {
        e.veto = new StanzaError("forbidden", BLOCKLISTED, "auth");
      } else if (cfg.allowlistOnly && !allow.has(e.ip)) {
        e.veto = new StanzaError("forbidden", NOT_ALLOWLISTED, "auth");
      }
      return e.veto !== undefined;
    },
    throttle(e) {
      if (throttle === undefined || !applies(e) || allow.has(e.ip)) return false;
      // The registrar refuses a taken name anyway (conflict): that attempt costs the address nothing.
      if (e.exists && e.invite?.resetUsername === undefined) return false;
      if (throttle.take(e.ip)) return false;
      e.veto = new StanzaError("policy-violation", THROTTLED, "wait");
      return true;
    },
  };
}
