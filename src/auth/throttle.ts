// Authentication failure throttle: at most `max` failures per key in a sliding window, with bounded memory.

export interface FailureThrottleOptions {
  max: number;
  windowMs: number;
  /** Keys tracked at once; the least recently failed key is forgotten first. Default 10 000. */
  maxKeys?: number;
  now?: () => number;
}

export class FailureThrottle {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  /** Failure times per key, oldest first, never more than `max`; Map order is least recently failed first. */
  readonly #failures = new Map<string, number[]>();

  constructor(opts: FailureThrottleOptions) {
    if (!(opts.max >= 1) || !(opts.windowMs > 0)) throw new RangeError("max must be >= 1 and windowMs > 0");
    this.#max = Math.floor(opts.max);
    this.#windowMs = opts.windowMs;
    this.#maxKeys = Math.max(1, Math.floor(opts.maxKeys ?? 10_000));
    this.#now = opts.now ?? Date.now;
  }

  isBlocked(key: string): boolean {
    const times = this.#live(key);
    return times !== undefined && times.length >= this.#max;
  }

  fail(key: string): void {
    const times = this.#live(key) ?? [];
    times.push(this.#now());
    if (times.length > this.#max) times.splice(0, times.length - this.#max);
    this.#failures.delete(key);
    this.#failures.set(key, times);
    if (this.#failures.size > this.#maxKeys) {
      const oldest = this.#failures.keys().next();
      if (!oldest.done) this.#failures.delete(oldest.value);
    }
  }

  succeed(key: string): void {
    this.#failures.delete(key);
  }

  /** Failure times still inside the window, dropping expired ones (and the key when none remain). */
  #live(key: string): number[] | undefined {
    const times = this.#failures.get(key);
    if (times === undefined) return undefined;
    const cutoff = this.#now() - this.#windowMs;
    let drop = 0;
    while (drop < times.length && times[drop]! <= cutoff) drop++;
    if (drop === times.length) {
      this.#failures.delete(key);
      return undefined;
    }
    if (drop > 0) times.splice(0, drop);
    return times;
  }
}
