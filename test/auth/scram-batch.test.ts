import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Batcher } from "../../src/auth/scram-batch.ts";

/** A run whose batches finish only when the test says so; it records what each batch held. */
function controlledRun() {
  const batches: number[][] = [];
  const pending: { resolve: (v: string[]) => void; reject: (e: unknown) => void; inputs: number[] }[] = [];
  const run = (inputs: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(inputs);
      pending.push({ resolve, reject, inputs });
    });
  const finish = (i: number) => pending[i]!.resolve(pending[i]!.inputs.map((n) => `out${n}`));
  const fail = (i: number, err: unknown) => pending[i]!.reject(err);
  return { batches, run, finish, fail };
}

const turn = () => new Promise((r) => setImmediate(r));
/** Batches leave at the end of a turn of the event loop; a slot freed in one turn is filled by the next. */
const tick = () => turn().then(turn);

describe("Batcher (how derivations are grouped for the addon)", () => {
  test("jobs submitted together leave together, and each gets its own answer", async () => {
    const c = controlledRun();
    const b = new Batcher<number, string>({ run: c.run, slots: 1, maxBatch: 16 });
    const answers = [b.submit(1), b.submit(2)];
    await tick();
    assert.deepEqual(c.batches, [[1, 2]]);
    c.finish(0);
    assert.deepEqual(await Promise.all(answers), ["out1", "out2"]);
  });

  test("jobs submitted by separate callbacks in one turn of the event loop leave together", async () => {
    const c = controlledRun();
    const b = new Batcher<number, string>({ run: c.run, slots: 1, maxBatch: 16 });
    const answers: Promise<string>[] = [];
    // Immediates queued before a check phase all run in it, with microtasks between them (as the socket
    // reads of one poll phase do); an immediate queued while they run waits for the next turn.
    await new Promise<void>((done) => {
      setImmediate(() => answers.push(b.submit(1)));
      setImmediate(() => {
        answers.push(b.submit(2));
        done();
      });
    });
    await tick();
    assert.deepEqual(c.batches, [[1, 2]]);
    c.finish(0);
    assert.deepEqual(await Promise.all(answers), ["out1", "out2"]);
  });

  test("while the slot is busy jobs wait, then leave in batches of at most maxBatch, oldest first", async () => {
    const c = controlledRun();
    const b = new Batcher<number, string>({ run: c.run, slots: 1, maxBatch: 4 });
    const first = b.submit(0);
    await tick();
    const rest = Array.from({ length: 6 }, (_, i) => b.submit(i + 1));
    await tick();
    assert.deepEqual(c.batches, [[0]], "nothing leaves while the only slot is busy");
    c.finish(0);
    await first;
    await tick();
    assert.deepEqual(c.batches, [[0], [1, 2, 3, 4]]);
    c.finish(1);
    await tick();
    assert.deepEqual(c.batches, [[0], [1, 2, 3, 4], [5, 6]]);
    c.finish(2);
    assert.deepEqual(await Promise.all(rest), ["out1", "out2", "out3", "out4", "out5", "out6"]);
  });

  test("free slots share out what waits, so two jobs on two threads run at the same time", async () => {
    const c = controlledRun();
    const b = new Batcher<number, string>({ run: c.run, slots: 2, maxBatch: 16 });
    void b.submit(1);
    void b.submit(2);
    await tick();
    assert.deepEqual(c.batches, [[1], [2]]);
    const more = Array.from({ length: 5 }, (_, i) => b.submit(i + 3));
    c.finish(0);
    await tick();
    assert.deepEqual(c.batches.slice(2), [[3, 4, 5, 6, 7]], "one slot was free, so it took all that waited");
    c.finish(1);
    c.finish(2);
    assert.equal((await Promise.all(more)).length, 5);
  });

  test("a failed batch rejects its own jobs only, and the queue goes on", async () => {
    const c = controlledRun();
    const b = new Batcher<number, string>({ run: c.run, slots: 1, maxBatch: 2 });
    const a = [b.submit(1), b.submit(2), b.submit(3)];
    await tick();
    c.fail(0, new Error("derivation failed"));
    await assert.rejects(a[0]!, /derivation failed/);
    await assert.rejects(a[1]!, /derivation failed/);
    await tick();
    assert.deepEqual(c.batches, [[1, 2], [3]]);
    c.finish(1);
    assert.equal(await a[2], "out3");
  });

  test("a run that throws at once rejects its batch and frees the slot", async () => {
    let calls = 0;
    const b = new Batcher<number, string>({
      run: (inputs) => {
        if (calls++ === 0) throw new TypeError("bad batch");
        return Promise.resolve(inputs.map(String));
      },
      slots: 1,
      maxBatch: 1,
    });
    const first = b.submit(1);
    const second = b.submit(2);
    await assert.rejects(first, { name: "TypeError", message: "bad batch" });
    assert.equal(await second, "2");
  });

  test("slots and maxBatch must be at least one, minBatch within them, holdMs and busyMs finite", () => {
    const run = async (inputs: number[]) => inputs;
    assert.throws(() => new Batcher({ run, slots: 0, maxBatch: 1 }), RangeError);
    assert.throws(() => new Batcher({ run, slots: 1, maxBatch: 0 }), RangeError);
    assert.throws(() => new Batcher({ run, slots: Number.NaN, maxBatch: 1 }), RangeError);
    assert.throws(() => new Batcher({ run, slots: 1, maxBatch: 4, minBatch: 5, holdMs: 1 }), RangeError);
    assert.throws(() => new Batcher({ run, slots: 1, maxBatch: 4, minBatch: 0, holdMs: 1 }), RangeError);
    assert.throws(() => new Batcher({ run, slots: 1, maxBatch: 4, minBatch: 2, holdMs: Number.NaN }), RangeError);
    assert.throws(() => new Batcher({ run, slots: 1, maxBatch: 4, minBatch: 2, holdMs: -1 }), RangeError);
    assert.throws(() => new Batcher({ run, slots: 1, maxBatch: 4, minBatch: 2, holdMs: 1, busyMs: Infinity }), RangeError);
  });
});

describe("Batcher holding a short batch for company", () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const opts = { slots: 1, maxBatch: 16, minBatch: 2, holdMs: 200, busyMs: 5000 };

  /** A batcher under load: jobs 1 and 2 came while job 0 was hashing; all three have since been hashed. */
  async function busyBatcher(busyMs = opts.busyMs) {
    const c = controlledRun();
    const b = new Batcher<number, string>({ run: c.run, ...opts, busyMs });
    void b.submit(0);
    await tick();
    void b.submit(1);
    void b.submit(2);
    c.finish(0);
    await tick();
    c.finish(1);
    await tick();
    assert.deepEqual(c.batches, [[0], [1, 2]]);
    return { c, b };
  }

  test("on a quiet batcher a lone job leaves at once", async () => {
    const c = controlledRun();
    const b = new Batcher<number, string>({ run: c.run, ...opts });
    const a = b.submit(1);
    await tick();
    assert.deepEqual(c.batches, [[1]]);
    c.finish(0);
    assert.equal(await a, "out1");
  });

  test("a client that waits for each answer before it asks again never waits for company", async () => {
    const c = controlledRun();
    const b = new Batcher<number, string>({ run: c.run, ...opts });
    for (let n = 0; n < 3; n++) {
      const answer = b.submit(n);
      await tick();
      assert.equal(c.batches.length, n + 1, `job ${n} left at once`);
      c.finish(n);
      assert.equal(await answer, `out${n}`);
    }
  });

  test("under load a lone job waits, and leaves with the next one to come", async () => {
    const { c, b } = await busyBatcher();
    const lone = b.submit(3);
    await sleep(20);
    assert.deepEqual(c.batches, [[0], [1, 2]], "jobs overlapped a moment ago, so the lone job waits");
    const next = b.submit(4);
    await tick();
    assert.deepEqual(c.batches, [[0], [1, 2], [3, 4]]);
    c.finish(2);
    assert.deepEqual(await Promise.all([lone, next]), ["out3", "out4"]);
  });

  test("a lone job waits no longer than holdMs, counted from when it began to wait", async () => {
    const { c, b } = await busyBatcher();
    const t0 = performance.now();
    const lone = b.submit(3);
    const left = new Promise<number>((r) => {
      const poll = setInterval(() => {
        if (c.batches.length === 3) {
          clearInterval(poll);
          r(performance.now() - t0);
        }
      }, 5);
    });
    await sleep(100);
    assert.deepEqual(c.batches, [[0], [1, 2]]);
    const waited = await left;
    assert.deepEqual(c.batches, [[0], [1, 2], [3]]);
    assert.ok(waited >= 150 && waited < 2000, `left after ${waited} ms`);
    c.finish(2);
    assert.equal(await lone, "out3");
  });

  test("once jobs have not overlapped for busyMs, a lone job no longer waits", async () => {
    const { c, b } = await busyBatcher(50);
    await sleep(100);
    void b.submit(3);
    await tick();
    assert.deepEqual(c.batches, [[0], [1, 2], [3]]);
  });

  test("when the slot frees, a short queue waits for company too", async () => {
    const c = controlledRun();
    const b = new Batcher<number, string>({ run: c.run, ...opts, minBatch: 4 });
    void b.submit(0);
    await tick();
    void b.submit(1);
    void b.submit(2);
    await tick();
    assert.deepEqual(c.batches, [[0]]);
    c.finish(0);
    await sleep(20);
    assert.deepEqual(c.batches, [[0]], "two of four wait for company");
    for (const n of [3, 4]) void b.submit(n);
    await tick();
    assert.deepEqual(c.batches, [[0], [1, 2, 3, 4]]);
  });
});
