// Who invited whom (invites.md §13.3): the tracking records of a host as a forest rooted at the non-invited creators.
import type { InvitedRecord } from "../../storage/types.ts";
import type { InviteTreeNode } from "./api.ts";

/**
 * Each invited account hangs under the account that created its invite; creators that were not invited
 * themselves ("cli", "api:<id>", "bootstrap", or an account made without an invite) are the roots.
 * Roots and children are ordered by time, roots by their first invitee.
 */
export function buildTree(records: readonly InvitedRecord[]): InviteTreeNode[] {
  const sorted = [...records].sort((a, b) => a.at - b.at || cmp(a.username, b.username));
  const nodes = new Map<string, InviteTreeNode>();
  for (const r of sorted) nodes.set(`${r.username}@${r.host}`, { who: `${r.username}@${r.host}`, at: r.at, inviteId: r.inviteId, invited: [] });
  const roots: InviteTreeNode[] = [];
  const rootByName = new Map<string, InviteTreeNode>();
  for (const r of sorted) {
    const node = nodes.get(`${r.username}@${r.host}`)!;
    const parent = nodes.get(r.invitedBy);
    if (parent !== undefined && parent !== node && !isAncestor(node, parent)) {
      parent.invited.push(node);
      continue;
    }
    let root = rootByName.get(r.invitedBy);
    if (root === undefined) {
      root = { who: r.invitedBy, at: undefined, inviteId: undefined, invited: [] };
      rootByName.set(r.invitedBy, root);
      roots.push(root);
    }
    root.invited.push(node);
  }
  return roots;
}

/** Guards against a cycle in damaged data, which would otherwise drop the nodes from the forest. */
function isAncestor(node: InviteTreeNode, of: InviteTreeNode): boolean {
  const stack = [...node.invited];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === of) return true;
    stack.push(...n.invited);
  }
  return false;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
