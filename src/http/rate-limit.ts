// Per-key request counting in fixed windows, for the general per-IP limit and token-guess limits.
import type { MiddlewareHandler } from "hono";
import type { HttpEnv } from "./types.ts";

export class WindowCounter {
  private readonly counts = new Map<string, { n: number; resetAt: number }>();
  private readonly max: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(opts: { max: number; windowMs: number; maxKeys?: number; now?: () => number }) {
    this.max = opts.max;
    this.windowMs = opts.windowMs;
    this.maxKeys = opts.maxKeys ?? 100_000;
    this.now = opts.now ?? Date.now;
  }

  /** Counts one hit; returns the seconds to wait when the key is over its limit, else 0. */
  hit(key: string): number {
    const now = this.now();
    let entry = this.counts.get(key);
    if (!entry || entry.resetAt <= now) {
      if (!entry && this.counts.size >= this.maxKeys) this.sweep(now);
      entry = { n: 0, resetAt: now + this.windowMs };
      this.counts.set(key, entry);
    }
    entry.n++;
    return entry.n > this.max ? Math.max(1, Math.ceil((entry.resetAt - now) / 1000)) : 0;
  }

  private sweep(now: number): void {
    for (const [k, v] of this.counts) if (v.resetAt <= now) this.counts.delete(k);
    if (this.counts.size >= this.maxKeys) this.counts.clear();
  }
}

/** Answers 429 with Retry-After once a client IP exceeds the counter's limit. */
export function rateLimit(counter: WindowCounter, tooMany: (c: Parameters<MiddlewareHandler<HttpEnv>>[0], retryAfter: number) => Response | Promise<Response>): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const wait = counter.hit(c.get("clientIp"));
    if (wait > 0) {
      const res = await tooMany(c, wait);
      res.headers.set("Retry-After", String(wait));
      return res;
    }
    await next();
  };
}
