// RFC 6121 §4 and §8.5: what the presence handlers share, and stanza helpers for addressing and delivery.
import { Element, x } from "../../xml/element.ts";
import type { Jid } from "../../xmpp/jid.ts";
import type { ModuleContext } from "../../core/module.ts";
import type { Session } from "../../core/session.ts";
import type { RosterApi } from "../roster/api.ts";
import type { KeyedLock } from "../roster/keyed-lock.ts";
import type { JidMemo } from "./jid-memo.ts";

export interface PresenceDeps {
  ctx: ModuleContext;
  roster: RosterApi;
  jids: JidMemo;
  /** Serialises subscription processing per (account, contact) pair. */
  pairs: KeyedLock;
}

export type BoundSession = Session & { jid: Jid };

/** A copy of `presence` addressed to `to`, sharing its (never modified) children. */
export function addressed(presence: Element, to: string): Element {
  return new Element(presence.name, presence.ns, { ...presence.attrs, to }, presence.children);
}

export function presenceOf(type: string | undefined, from: Jid, to: Jid): Element {
  return x("presence", { type, from: from.toString(), to: to.toString() });
}

/** Sends a stamped presence on its way through the router (local delivery or a remote domain). */
export function route(d: PresenceDeps, stanza: Element, from: Jid, to: Jid): Promise<void> {
  return d.ctx.router.route(stanza, from, to);
}

/** The account's sessions that have sent available presence (RFC 6121 "available resources"). */
export function* availableSessions(d: PresenceDeps, bare: string): Iterable<BoundSession> {
  for (const s of d.ctx.sessions.resources(bare)) {
    if (s.presence !== undefined && s.jid !== undefined) yield s as BoundSession;
  }
}

export function hasAvailable(d: PresenceDeps, bare: string): boolean {
  for (const _ of availableSessions(d, bare)) return true;
  return false;
}

/** Sends `stanza` to every available resource; returns how many got it. (Hot path: no generator.) */
export function deliverToAvailable(d: PresenceDeps, bare: string, stanza: Element): number {
  let n = 0;
  for (const s of d.ctx.sessions.resources(bare)) {
    if (s.presence === undefined) continue;
    s.send(stanza);
    n++;
  }
  return n;
}

/** Available or interested (RFC 6121 §3.1.6, §3.2.3, §3.3.3 say "interested"; available ones surely are too). */
export function deliverToInterested(d: PresenceDeps, bare: string, stanza: Element): number {
  let n = 0;
  for (const s of d.ctx.sessions.resources(bare)) {
    if (s.presence === undefined && !s.rosterRequested) continue;
    s.send(stanza);
    n++;
  }
  return n;
}

/** Presence from each of `user`'s available resources to `to` (a snapshot of their current presence). */
export async function sendCurrentPresence(d: PresenceDeps, user: Jid, to: Jid): Promise<void> {
  const target = to.toString();
  for (const s of [...availableSessions(d, user.bareString())]) {
    await route(d, addressed(s.presence!, target), s.jid, to);
  }
}

/** Unavailable presence from each of `user`'s available resources to `to`. */
export async function sendUnavailableFromEach(d: PresenceDeps, user: Jid, to: Jid): Promise<void> {
  for (const s of [...availableSessions(d, user.bareString())]) {
    await route(d, presenceOf("unavailable", s.jid, to), s.jid, to);
  }
}
