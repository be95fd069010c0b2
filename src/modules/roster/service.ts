// RFC 6121 §2.1.6 and §2.6: roster reads and writes through the cache, with a versioned push after each change.
import type { RosterItem, RosterStore } from "../../storage/types.ts";
import type { SessionRegistry } from "../../core/sessions.ts";
import type { Logger } from "../../core/logger.ts";
import type { ItemUpdater, PushedItem, RosterApi, RosterSnapshot, UpdateOptions } from "./api.ts";
import { encodePush, encodePushQuery } from "./codec.ts";
import { KeyedLock } from "./keyed-lock.ts";
import { RosterCache, freezeItem } from "./roster-cache.ts";

export function accountKey(host: string, username: string): string {
  return `${username}@${host}`;
}

let pushCounter = 0;

export class RosterService implements RosterApi {
  readonly lock = new KeyedLock();
  readonly cache: RosterCache;
  readonly #store: RosterStore;
  readonly #sessions: SessionRegistry;
  /** Who may have pending inbound requests; only this service writes them, so a login with none asks nothing. */
  readonly #pendingHolders = new Set<string>();

  constructor(store: RosterStore, sessions: SessionRegistry, log: Logger) {
    this.#store = store;
    this.#sessions = sessions;
    this.cache = new RosterCache(store, this.lock, log);
  }

  async getRoster(host: string, username: string): Promise<RosterSnapshot> {
    const e = await this.cache.get(accountKey(host, username));
    if (e) return RosterCache.snapshot(e);
    const roster = await this.#store.getRoster(host, username);
    return { version: roster.version, items: roster.items.map(freezeItem) };
  }

  async getItem(host: string, username: string, contact: string): Promise<RosterItem | undefined> {
    const e = await this.cache.get(accountKey(host, username));
    if (e) return e.items.get(contact);
    const item = await this.#store.getItem(host, username, contact);
    return item && freezeItem(item);
  }

  updateItem(host: string, username: string, contact: string, fn: ItemUpdater, opts?: UpdateOptions): Promise<RosterItem | undefined> {
    const key = accountKey(host, username);
    return this.lock.run(key, async () => {
      const e = this.cache.loadedEntry(key);
      const stored = e ? e.items.get(contact) : await this.#store.getItem(host, username, contact);
      const current = stored && freezeItem(stored);
      const wanted = fn(current);
      if (wanted === current || (wanted !== undefined && current !== undefined && sameItem(wanted, current))) return current;
      if (wanted === undefined) {
        if (current === undefined) return undefined;
        const version = await this.#store.removeItem(host, username, contact);
        if (version === undefined) return undefined;
        this.cache.apply(key, contact, undefined, version);
        if (opts?.push !== false) this.push(host, username, { jid: contact, subscription: "remove" }, version);
        return undefined;
      }
      const item = freezeItem(normalise(wanted, contact));
      const version = await this.#store.putItem(host, username, item);
      this.cache.apply(key, contact, item, version);
      if (opts?.push !== false) this.push(host, username, item, version);
      return item;
    });
  }

  resync(host: string, username: string, contact: string): Promise<void> {
    const key = accountKey(host, username);
    return this.lock.run(key, async () => {
      const e = this.cache.loadedEntry(key);
      const cached = e?.items.get(contact);
      const stored = await this.#store.getItem(host, username, contact);
      const version = await this.#store.version(host, username);
      if (e && e.version === version && (stored === undefined ? cached === undefined : cached !== undefined && sameItem(stored, cached))) {
        return;
      }
      const item = stored && freezeItem(normalise(stored, contact));
      this.cache.apply(key, contact, item, version);
      this.push(host, username, item ?? { jid: contact, subscription: "remove" }, version);
    });
  }

  push(host: string, username: string, item: PushedItem, version: number): void {
    let query;
    for (const s of this.#sessions.resources(accountKey(host, username))) {
      if (!s.rosterRequested || s.jid === undefined) continue;
      query ??= encodePushQuery(item, version);
      s.send(encodePush(query, s.jid.toString(), `push${(++pushCounter).toString(36)}`));
    }
  }

  hasPendingIn(host: string, username: string, contact: string): Promise<boolean> {
    return this.#store.hasPendingIn(host, username, contact);
  }

  async addPendingIn(host: string, username: string, contact: string, stanza: string): Promise<void> {
    await this.#store.addPendingIn(host, username, contact, stanza);
    this.#pendingHolders.add(accountKey(host, username));
  }

  removePendingIn(host: string, username: string, contact: string): Promise<boolean> {
    return this.#store.removePendingIn(host, username, contact);
  }

  async listPendingIn(host: string, username: string): Promise<{ jid: string; stanza: string }[]> {
    // A holder whose requests were all answered stays in the set (one cheap query per login until the
    // next start): dropping it here could race an addPendingIn and lose a request.
    if (!this.#pendingHolders.has(accountKey(host, username))) return [];
    return this.#store.listPendingIn(host, username);
  }

  /** Reads, once at start-up, which accounts have pending inbound requests. */
  async loadPendingHolders(): Promise<void> {
    for (const h of await this.#store.pendingInHolders()) this.#pendingHolders.add(accountKey(h.host, h.username));
  }

  isCached(host: string, username: string): boolean {
    return this.cache.has(accountKey(host, username));
  }
}

function normalise(item: RosterItem, jid: string): RosterItem {
  const out: RosterItem = {
    jid,
    subscription: item.subscription,
    ask: item.ask,
    approved: item.approved,
    groups: [...item.groups],
  };
  if (item.name !== undefined) out.name = item.name;
  return out;
}

export function sameItem(a: RosterItem, b: RosterItem): boolean {
  if (
    a.jid !== b.jid ||
    a.name !== b.name ||
    a.subscription !== b.subscription ||
    a.ask !== b.ask ||
    a.approved !== b.approved ||
    a.groups.length !== b.groups.length
  ) {
    return false;
  }
  for (let i = 0; i < a.groups.length; i++) if (a.groups[i] !== b.groups[i]) return false;
  return true;
}
