import { test } from "node:test";
import assert from "node:assert/strict";
import { CommandSessions } from "../../../src/modules/adhoc/sessions.ts";

const stage = { stage: 1, state: undefined, offered: ["complete" as const], execute: "complete" as const };

function store(opts: Partial<ConstructorParameters<typeof CommandSessions>[0]> = {}) {
  let now = 1_000_000;
  const s = new CommandSessions({ ttlMs: 1000, maxPerRequester: 3, maxTotal: 100, now: () => now, ...opts });
  return { s, tick: (ms: number) => (now += ms) };
}

test("ids are 12 url-safe characters and unique", () => {
  const ids = new Set(Array.from({ length: 200 }, () => CommandSessions.newId()));
  assert.equal(ids.size, 200);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{12}$/);
});

test("a session belongs to one requester and one node", () => {
  const { s } = store();
  const a = s.open("node", "a@x/r", stage);
  assert.equal(s.get(a.id, "node", "a@x/r").kind, "ok");
  assert.equal(s.get(a.id, "node", "a@x/other").kind, "unknown");
  assert.equal(s.get(a.id, "other", "a@x/r").kind, "unknown");
  s.close(a.id);
  assert.equal(s.get(a.id, "node", "a@x/r").kind, "unknown");
});

test("expired for one more ttl, then forgotten; advancing renews", () => {
  const { s, tick } = store();
  const a = s.open("n", "a@x/r", stage);
  const b = s.open("n", "a@x/r", stage);
  tick(900);
  const found = s.get(a.id, "n", "a@x/r");
  assert.equal(found.kind, "ok");
  if (found.kind === "ok") s.advance(found.session, stage);
  tick(200);
  assert.equal(s.get(a.id, "n", "a@x/r").kind, "ok");
  assert.equal(s.get(b.id, "n", "a@x/r").kind, "expired");
  assert.equal(s.get(b.id, "n", "a@x/r").kind, "unknown", "an expired session is reported once");
  const c = s.open("n", "a@x/r", stage);
  tick(2001);
  s.open("n", "z@x/r", stage);
  assert.equal(s.get(c.id, "n", "a@x/r").kind, "unknown", "swept after two ttls");
  assert.equal(s.size, 1);
});

test("a requester holds at most maxPerRequester sessions, and the store maxTotal; the oldest go first", () => {
  const { s } = store({ maxTotal: 5 });
  const mine = [1, 2, 3, 4].map(() => s.open("n", "a@x/r", stage));
  assert.equal(s.get(mine[0]!.id, "n", "a@x/r").kind, "unknown");
  for (const m of mine.slice(1)) assert.equal(s.get(m.id, "n", "a@x/r").kind, "ok");
  const theirs = [1, 2, 3].map((i) => s.open("n", `b${i}@x/r`, stage));
  assert.equal(s.size, 5);
  assert.equal(s.get(mine[1]!.id, "n", "a@x/r").kind, "unknown");
  assert.equal(s.get(theirs[2]!.id, "n", "b3@x/r").kind, "ok");
});
