// Derivations wait in one queue and leave in batches: a batch runs on one pool thread, where the addon hashes
// up to eight of a kind side by side. A free thread takes what is waiting at once, so a lone derivation on a
// quiet server is not delayed; under load the queue grows while the threads are busy, and the batches fill
// by themselves. Under load a thread that frees up may also find a lone job, which would be hashed at the
// price of a batch: that one waits a moment (at most `holdMs`) for company. Load means derivations that
// overlap: a client that waits for each answer before it asks again has no company to wait for.

export interface BatchJob<I, O> {
  input: I;
  resolve(output: O): void;
  reject(err: unknown): void;
}

export interface BatcherOptions<I, O> {
  /** Derives a whole batch; its answers are in the order of its inputs. */
  run(inputs: I[]): Promise<O[]>;
  /** Batches in flight at once (threads that may hash at the same time). */
  slots: number;
  /** The most jobs one batch takes. */
  maxBatch: number;
  /** Under load, fewer jobs than this wait up to `holdMs` for more before they leave. Default 1: never. */
  minBatch?: number;
  holdMs?: number;
  /** Under load means: a job came while a batch was hashing, within this many ms. Default `10 * holdMs`. */
  busyMs?: number;
}

export class Batcher<I, O> {
  readonly #opts: BatcherOptions<I, O>;
  readonly #queue: BatchJob<I, O>[] = [];
  #inFlight = 0;
  #scheduled = false;
  #holding: NodeJS.Timeout | undefined;
  /** performance.now() when a job last came while a batch was hashing. */
  #lastOverlap = -Infinity;

  constructor(opts: BatcherOptions<I, O>) {
    if (!(opts.slots >= 1 && opts.maxBatch >= 1)) throw new RangeError("slots and maxBatch must be at least 1");
    const { minBatch = 1, holdMs = 0, busyMs = 10 * holdMs } = opts;
    if (!(minBatch >= 1 && minBatch <= opts.maxBatch)) throw new RangeError("minBatch must be from 1 to maxBatch");
    if (!(holdMs >= 0 && busyMs >= 0 && Number.isFinite(holdMs) && Number.isFinite(busyMs))) {
      throw new RangeError("holdMs and busyMs must be finite and not negative");
    }
    this.#opts = opts;
  }

  submit(input: I): Promise<O> {
    if (this.#inFlight > 0) this.#lastOverlap = performance.now();
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * At the end of this turn of the event loop, so that what its I/O callbacks submit leaves together: the
   * SHA-1 and SHA-256 of one registration, and the registrations whose requests were read in this turn.
   */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#opts.slots || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#dispatch();
    });
  }

  /** What waits is shared out over the free slots, each batch at most maxBatch. */
  #dispatch(held = false): void {
    if (!held && this.#holdForCompany()) return;
    this.#stopHolding();
    const { slots, maxBatch } = this.#opts;
    while (this.#inFlight < slots && this.#queue.length > 0) {
      const size = Math.min(maxBatch, Math.ceil(this.#queue.length / (slots - this.#inFlight)));
      this.#start(this.#queue.splice(0, size));
    }
  }

  /** Whether a short queue waits for more, at most holdMs from when it began to wait; then it leaves as it is. */
  #holdForCompany(): boolean {
    const { minBatch = 1, holdMs = 0, busyMs = 10 * holdMs } = this.#opts;
    if (this.#queue.length >= minBatch || holdMs <= 0 || performance.now() - this.#lastOverlap > busyMs) return false;
    this.#holding ??= setTimeout(() => {
      this.#holding = undefined;
      this.#dispatch(true);
    }, holdMs);
    return true;
  }

  #stopHolding(): void {
    if (this.#holding === undefined) return;
    clearTimeout(this.#holding);
    this.#holding = undefined;
  }

  #start(batch: BatchJob<I, O>[]): void {
    this.#inFlight++;
    let running: Promise<O[]>;
    try {
      running = this.#opts.run(batch.map((j) => j.input));
    } catch (err) {
      running = Promise.reject(err);
    }
    // The slot is free before the answers go out: what their callers submit next did not overlap this batch.
    const settle = (answer: (job: BatchJob<I, O>, i: number) => void) => {
      this.#inFlight--;
      batch.forEach(answer);
      this.#schedule();
    };
    running.then(
      (outputs) => settle((j, i) => j.resolve(outputs[i]!)),
      (err: unknown) => settle((j) => j.reject(err)),
    );
  }
}
