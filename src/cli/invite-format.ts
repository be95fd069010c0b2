// How the CLI shows invites: one-line descriptions, the `show` block, the `list` table, the `tree`, JSON.
import type { InviteKind, InviteTreeNode } from "../modules/invites/api.ts";
import type { InviteRecord } from "../storage/types.ts";

/** "2025-01-02 03:04:05 UTC" */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** Spec invites.md §13.2 `invite show`. */
export function describe(record: InviteRecord): string {
  if (record.type === "roster") {
    const inviter = `${record.inviter ?? "?"}@${record.host}`;
    return record.allowRegistration
      ? `Invitation to register and become a contact of ${inviter}`
      : `Invitation to become a contact of ${inviter}`;
  }
  if (record.resetUsername !== undefined) return `Password reset for ${record.resetUsername}@${record.host}`;
  if (record.boundUsername !== undefined) return `Invitation to register on ${record.host} with username '${record.boundUsername}'`;
  return `Invitation to register on ${record.host}`;
}

export function usesText(record: InviteRecord): string {
  if (!record.reusable) return `${record.uses}/1`;
  return record.maxUses === undefined ? `${record.uses}/unlimited` : `${record.uses}/${record.maxUses}`;
}

/** Whether it can still be used, and if not why. */
export function statusText(record: InviteRecord, now: number): string {
  if (record.revokedAt !== undefined) return `Invitation revoked ${formatTime(record.revokedAt)}`;
  if (record.usedAt !== undefined) {
    return `Invitation used ${formatTime(record.usedAt)}${record.usedBy === undefined ? "" : ` by ${record.usedBy}`}`;
  }
  if (now >= record.expires) return "Invitation expired";
  return "Invitation valid";
}

export interface ShowExtras {
  kind: InviteKind;
  uri: string | undefined;
  landingPage: string | undefined;
  now: number;
}

export function showLines(record: InviteRecord, extras: ShowExtras): string[] {
  const field = (label: string, value: string) => `${`${label}:`.padEnd(10)} ${value}`;
  const lines = [
    describe(record),
    field("Id", record.id),
    field("Kind", extras.kind),
    field("Creator", record.createdBy),
    field("Created", formatTime(record.createdAt)),
    field("Expires", formatTime(record.expires)),
  ];
  if (extras.uri !== undefined) lines.push(field("XMPP URI", extras.uri));
  if (extras.landingPage !== undefined) lines.push(field("Web link", extras.landingPage));
  lines.push(
    field("Roles", record.roles.length ? record.roles.join(", ") : "-"),
    field("Groups", record.groups.length ? record.groups.join(", ") : "-"),
    field("Uses", usesText(record)),
  );
  if (record.note !== undefined) lines.push(field("Note", record.note));
  lines.push(statusText(record, extras.now));
  return lines;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function listLines(records: InviteRecord[], kindOf: (r: InviteRecord) => InviteKind): string[] {
  const rows = records.map((r) => [r.id, kindOf(r), formatTime(r.expires), usesText(r), r.note ?? ""]);
  const out = records.length ? table(["id", "kind", "expires", "uses", "note"], rows) : [];
  out.push(`${records.length} pending invite${records.length === 1 ? "" : "s"}`);
  return out;
}

export function treeLines(roots: InviteTreeNode[]): string[] {
  const out: string[] = [];
  const walk = (node: InviteTreeNode, depth: number) => {
    const when = node.at === undefined ? "" : ` (${formatTime(node.at)})`;
    out.push(`${"  ".repeat(depth)}${node.who}${when}`);
    for (const child of node.invited) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return out;
}
