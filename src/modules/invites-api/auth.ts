// Who is calling the invites API: the bearer key, checked against storage, with failures throttled per client address.
import type { Context } from "hono";
import { FailureThrottle } from "../../auth/throttle.ts";
import type { Logger } from "../../core/logger.ts";
import type { HttpEnv } from "../../http/types.ts";
import type { ApiKeyRecord, ApiKeyStore } from "../../storage/types.ts";
import { checkCredential } from "./keys.ts";

export type AuthOutcome =
  | { ok: true; key: ApiKeyRecord }
  /** missing: no bearer credential at all; invalid: one that did not check out; blocked: too many of those. */
  | { ok: false; reason: "missing" | "invalid" | "blocked" };

/** The credential of an `Authorization: Bearer …` header (scheme case-insensitive, RFC 9110 §11.1). */
export function bearer(header: string | undefined): string | undefined {
  const m = /^bearer +(\S+) *$/i.exec(header ?? "");
  return m?.[1];
}

export interface KeyAuthOptions {
  store: ApiKeyStore;
  log: Logger;
  /** Failed key uses allowed per client address in the window. */
  failures: { max: number; windowSeconds: number };
  now?: () => number;
}

export class KeyAuth {
  readonly #store: ApiKeyStore;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #failures: FailureThrottle;
  readonly retryAfterSeconds: number;

  constructor(opts: KeyAuthOptions) {
    this.#store = opts.store;
    this.#log = opts.log;
    this.#now = opts.now ?? Date.now;
    // A throttle that can say "blocked" before the key is looked at: a blocked address gets no answer
    // about its guesses, right or wrong.
    this.#failures = new FailureThrottle({ max: opts.failures.max, windowMs: opts.failures.windowSeconds * 1000, now: this.#now });
    this.retryAfterSeconds = opts.failures.windowSeconds;
  }

  async authenticate(c: Context<HttpEnv>): Promise<AuthOutcome> {
    const credential = bearer(c.req.header("authorization"));
    if (credential === undefined) return { ok: false, reason: "missing" };
    const ip = c.get("clientIp");
    if (this.#failures.isBlocked(ip)) return { ok: false, reason: "blocked" };
    const check = await checkCredential(this.#store, credential, this.#now());
    if (!check.ok) {
      this.#failures.fail(ip);
      // The key id is public; the secret is never logged.
      this.#log.info({ ip, key: check.id ?? null, reason: check.reason, route: c.req.routePath }, "invites api: key refused");
      return { ok: false, reason: "invalid" };
    }
    return { ok: true, key: check.key };
  }
}
