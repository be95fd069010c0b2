// Spec invites.md §15.1: failed invite-token uses counted per client address, across every surface that takes a
// token (`<preauth/>`, XEP-0379 subscriptions, the invite page, the web form, the JSON API).
import { createHash } from "node:crypto";
import { FailureThrottle } from "../../auth/throttle.ts";
import type { Config } from "../../core/config/index.ts";

export interface TokenThrottleOptions {
  /** Failures allowed per address in the window. */
  max: number;
  windowSeconds: number;
  now?: () => number;
}

export class TokenThrottle {
  readonly #throttle: FailureThrottle | undefined;

  constructor(opts: TokenThrottleOptions) {
    this.#throttle =
      opts.max >= 1 && opts.windowSeconds > 0
        ? new FailureThrottle({ max: opts.max, windowMs: opts.windowSeconds * 1000, now: opts.now })
        : undefined;
  }

  /** True when this address has used up its failures: refuse without looking at the token.
   *  Keys are IP addresses, or `domain:<name>` for a remote server's users (who have no address here). */
  isBlocked(ip: string | undefined): boolean {
    return ip !== undefined && this.#throttle !== undefined && this.#throttle.isBlocked(ip);
  }

  /** Counts a token that did not check out (unknown, expired, used, revoked or malformed alike). */
  fail(ip: string | undefined): void {
    if (ip !== undefined) this.#throttle?.fail(ip);
  }
}

const perServer = new WeakMap<Config, TokenThrottle>();

/** The throttle of the server whose configuration this is, so that every surface counts into the same one. */
export function tokenThrottleFor(config: Config): TokenThrottle {
  let t = perServer.get(config);
  if (!t) {
    const { max, windowSeconds } = config.invites.tokenFailures;
    t = new TokenThrottle({ max, windowSeconds });
    perServer.set(config, t);
  }
  return t;
}

/** What logs may say about a token that failed: 8 hex digits of its hash, half of an invite id. */
export function tokenLogHint(token: string | undefined): string {
  if (token === undefined) return "none";
  return createHash("sha256").update(token).digest("hex").slice(0, 8);
}
