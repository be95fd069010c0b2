// XEP-0050 1.3.0 §4.3: command sessions, bound to one requester and one node, expiring after a while.
import { randomBytes } from "node:crypto";
import type { StageAction } from "./api.ts";

export interface CommandSession {
  id: string;
  node: string;
  /** Full JID of the requester; nobody else may continue the session. */
  requester: string;
  stage: number;
  state: unknown;
  offered: StageAction[];
  execute: StageAction;
  /** Unix ms of the last stage. */
  touched: number;
}

export type Lookup =
  | { kind: "ok"; session: CommandSession }
  | { kind: "expired" }
  | { kind: "unknown" };

export interface SessionOptions {
  ttlMs: number;
  /** Open sessions one requester may hold; the oldest goes first. */
  maxPerRequester: number;
  /** Open sessions in all; the oldest goes first. */
  maxTotal: number;
  now: () => number;
}

/** Expiry is checked lazily: a session past its ttl answers "expired" for another ttl, then is forgotten. */
export class CommandSessions {
  private readonly sessions = new Map<string, CommandSession>();
  private readonly opts: SessionOptions;

  constructor(opts: SessionOptions) {
    this.opts = opts;
  }

  /** Session ids are 9 random bytes, base64url (12 characters), like Prosody's id.short. */
  static newId(): string {
    return randomBytes(9).toString("base64url");
  }

  open(node: string, requester: string, fields: Pick<CommandSession, "stage" | "state" | "offered" | "execute">): CommandSession {
    this.sweep();
    const mine = [...this.sessions.values()].filter((s) => s.requester === requester && this.live(s));
    for (let i = 0; i <= mine.length - this.opts.maxPerRequester; i++) this.sessions.delete(mine[i]!.id);
    while (this.sessions.size >= this.opts.maxTotal) this.sessions.delete(this.sessions.keys().next().value!);
    const session: CommandSession = { id: CommandSessions.newId(), node, requester, touched: this.opts.now(), ...fields };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session `id` if it belongs to this requester and node. */
  get(id: string, node: string, requester: string): Lookup {
    this.sweep();
    const s = this.sessions.get(id);
    if (!s || s.node !== node || s.requester !== requester) return { kind: "unknown" };
    if (!this.live(s)) {
      this.sessions.delete(id);
      return { kind: "expired" };
    }
    return { kind: "ok", session: s };
  }

  /** Moves a session to its next stage (re-inserted last, so the oldest stays first in the map). */
  advance(s: CommandSession, fields: Pick<CommandSession, "state" | "offered" | "execute">): void {
    s.stage += 1;
    s.state = fields.state;
    s.offered = fields.offered;
    s.execute = fields.execute;
    s.touched = this.opts.now();
    this.sessions.delete(s.id);
    this.sessions.set(s.id, s);
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private live(s: CommandSession): boolean {
    return this.opts.now() - s.touched < this.opts.ttlMs;
  }

  private sweep(): void {
    const forgetBefore = this.opts.now() - 2 * this.opts.ttlMs;
    for (const [id, s] of this.sessions) {
      if (s.touched > forgetBefore) break; // ordered by touched, oldest first
      this.sessions.delete(id);
    }
  }
}
