// Invites as JSON, one shape for the invites API and the CLI's --json (docs/openapi.json `Invite`, `CreatedInvite`, `TreeNode`).
import type { ApiKeyKind, InviteRecord } from "../../storage/types.ts";
import type { CreatedInvite, InviteTreeNode } from "./api.ts";

export type InviteStatus = "live" | "expired" | "revoked" | "used";

export interface InviteJson {
  id: string;
  kind: ApiKeyKind;
  host: string;
  username: string | null;
  inviter: string | null;
  ibr: boolean;
  roles: string[];
  groups: string[];
  note: string | null;
  reusable: boolean;
  max_uses: number | null;
  uses: number;
  created_at: string;
  expires: string;
  created_by: string;
  status: InviteStatus;
}

export interface CreatedInviteJson extends InviteJson {
  token: string;
  uri: string;
  landing_url: string | null;
}

export interface TreeNodeJson {
  who: string;
  at: string | null;
  invite_id: string | null;
  invited: TreeNodeJson[];
}

/** The API's three kinds (what a key is scoped to); contact invites with `ibr` are still "contact". */
export function apiKindOf(record: InviteRecord): ApiKeyKind {
  if (record.type === "roster") return "contact";
  return record.resetUsername !== undefined ? "reset" : "account";
}

function statusOf(r: InviteRecord, now: number): InviteStatus {
  if (r.revokedAt !== undefined) return "revoked";
  if (r.usedAt !== undefined || (r.maxUses !== undefined && r.uses >= r.maxUses)) return "used";
  return now >= r.expires ? "expired" : "live";
}

const iso = (ms: number) => new Date(ms).toISOString();

export function inviteJson(r: InviteRecord, now: number): InviteJson {
  return {
    id: r.id,
    kind: apiKindOf(r),
    host: r.host,
    username: r.boundUsername ?? null,
    inviter: r.inviter ?? null,
    ibr: r.allowRegistration,
    roles: r.roles,
    groups: r.groups,
    note: r.note ?? null,
    reusable: r.reusable,
    max_uses: r.maxUses ?? null,
    uses: r.uses,
    created_at: iso(r.createdAt),
    expires: iso(r.expires),
    created_by: r.createdBy,
    status: statusOf(r, now),
  };
}

/** The only answer that carries the token. */
export function createdInviteJson(created: CreatedInvite, now: number): CreatedInviteJson {
  const { id, kind, ...rest } = inviteJson(created.invite, now);
  return { id, token: created.token, kind, uri: created.uri, landing_url: created.landingPage ?? null, ...rest };
}

export function treeJson(nodes: readonly InviteTreeNode[]): TreeNodeJson[] {
  return nodes.map((n) => ({
    who: n.who,
    at: n.at === undefined ? null : iso(n.at),
    invite_id: n.inviteId ?? null,
    invited: treeJson(n.invited),
  }));
}
