// The invitation tree built from tracking records.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildTree } from "../../../src/modules/invites/tree.ts";
import type { InvitedRecord } from "../../../src/storage/types.ts";

const rec = (username: string, invitedBy: string, at: number): InvitedRecord => ({ host: "example.com", username, inviteId: `id-${username}`, invitedBy, at });

test("roots are the creators nobody invited, ordered by their first invitee; children by time", () => {
  const tree = buildTree([rec("c", "a@example.com", 30), rec("a", "cli", 10), rec("b", "api:k1", 5), rec("d", "a@example.com", 20)]);
  assert.deepEqual(
    tree.map((r) => [r.who, r.invited.map((n) => [n.who, n.invited.map((m) => m.who)])]),
    [
      ["api:k1", [["b@example.com", []]]],
      ["cli", [["a@example.com", ["d@example.com", "c@example.com"]]]],
    ],
  );
});

test("damaged data with a cycle still shows every account", () => {
  const tree = buildTree([rec("a", "b@example.com", 1), rec("b", "a@example.com", 2)]);
  const seen: string[] = [];
  const walk = (nodes: typeof tree) => nodes.forEach((n) => (seen.push(n.who), walk(n.invited)));
  walk(tree);
  assert.ok(seen.includes("a@example.com") && seen.includes("b@example.com"));
});
