// Registry of bound client sessions, by bare JID and resource.
import type { Jid } from "../xmpp/jid.ts";
import type { Session } from "./session.ts";

const NONE: readonly Session[] = Object.freeze([]);

export class SessionRegistry {
  private readonly byBare = new Map<string, Map<string, Session>>();
  private bound = 0;

  get size(): number {
    return this.bound;
  }

  /** Adds a bound session; returns the session it displaced on the same full JID, if any. */
  add(session: Session & { jid: Jid }): Session | undefined {
    const bare = session.jid.bareString();
    let res = this.byBare.get(bare);
    if (!res) this.byBare.set(bare, (res = new Map()));
    const resource = session.jid.resource!;
    const old = res.get(resource);
    res.set(resource, session);
    if (!old) this.bound++;
    return old;
  }

  remove(session: Session): boolean {
    const jid = session.jid;
    if (!jid) return false;
    const bare = jid.bareString();
    const res = this.byBare.get(bare);
    if (!res || res.get(jid.resource!) !== session) return false;
    res.delete(jid.resource!);
    if (res.size === 0) this.byBare.delete(bare);
    this.bound--;
    return true;
  }

  get(full: Jid): Session | undefined {
    if (full.resource === undefined) return undefined;
    return this.byBare.get(full.bareString())?.get(full.resource);
  }

  hasResource(bare: string, resource: string): boolean {
    return this.byBare.get(bare)?.has(resource) ?? false;
  }

  /** All bound sessions of an account (bare JID string). */
  resources(bare: string): Iterable<Session> {
    return this.byBare.get(bare)?.values() ?? NONE;
  }

  *all(): Iterable<Session> {
    for (const res of this.byBare.values()) yield* res.values();
  }
}
