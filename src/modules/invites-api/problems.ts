// RFC 9457 problem documents of the invites API: one `type` URI per kind of error, listed in docs/api.md.
import { problem } from "../../http/app.ts";
import type { InviteErrorCode } from "../invites/api.ts";

/** Identifiers, not pages: `.invalid` never resolves (RFC 9457 §3.1.1 allows non-resolvable type URIs). */
export const PROBLEM_BASE = "https://hearth.invalid/problems/";

const PROBLEMS = {
  unauthorized: { status: 401, title: "Missing or invalid API key" },
  forbidden: { status: 403, title: "Not permitted for this API key" },
  /** The Prosody-compatible route answers every bad or missing key with 403 (invites.md §12). */
  "key-refused": { status: 403, title: "Missing or invalid API key" },
  "too-many-attempts": { status: 429, title: "Too many failed API key attempts" },
  "unsupported-media-type": { status: 415, title: "Request body must be application/json" },
  "malformed-json": { status: 400, title: "Request body is not valid JSON" },
  "invalid-request": { status: 400, title: "Request fields are invalid" },
  "unknown-host": { status: 400, title: "Not a host of this server" },
  "not-found": { status: 404, title: "No such invite" },
  // InviteError codes of the invites model, under their own names.
  "bad-token": { status: 400, title: "Invalid invite token" },
  "bad-username": { status: 400, title: "Invalid username" },
  "bad-role": { status: 400, title: "Unknown role" },
  "bad-ttl": { status: 400, title: "Invalid lifetime" },
  "bad-max-uses": { status: 400, title: "Invalid maximum number of uses" },
  "role-not-permitted": { status: 403, title: "Role may not be granted" },
  "not-permitted": { status: 403, title: "Not permitted" },
  "no-such-account": { status: 404, title: "No such account" },
  "no-such-group": { status: 404, title: "No such group" },
  "quota-exceeded": { status: 409, title: "Too many live invites" },
} as const satisfies Record<string, { status: number; title: string }> & Record<InviteErrorCode, unknown>;

export type ProblemName = keyof typeof PROBLEMS;

export function problemStatus(name: ProblemName): number {
  return PROBLEMS[name].status;
}

export function apiProblem(name: ProblemName, detail?: string, extra: Record<string, unknown> = {}): Response {
  const { status, title } = PROBLEMS[name];
  return problem(status, title, detail, { type: `${PROBLEM_BASE}${name}`, ...extra });
}

/** Every problem kind with its status and title (docs and tests). */
export function problemKinds(): { name: ProblemName; status: number; title: string }[] {
  return Object.entries(PROBLEMS).map(([name, p]) => ({ name: name as ProblemName, ...p }));
}
