// RFC 6121 §2: rosters of accounts with a bound session, held in memory so presence and routing skip the database.
import type { RosterItem, RosterStore } from "../../storage/types.ts";
import type { Logger } from "../../core/logger.ts";
import type { RosterSnapshot } from "./api.ts";
import type { KeyedLock } from "./keyed-lock.ts";

export interface CachedRoster {
  /** False until the load has run; a write that finds it unloaded reads the store instead. */
  loaded: boolean;
  version: number;
  items: Map<string, RosterItem>;
  /** Sorted view, rebuilt lazily after a change. */
  sorted: readonly RosterItem[] | undefined;
  /** Resolves true once loaded, false when the load failed (the entry is then gone). */
  ready: Promise<boolean>;
}

export function freezeItem(item: RosterItem): RosterItem {
  Object.freeze(item.groups);
  return Object.freeze(item);
}

/**
 * Entries are loaded and changed only under the account's lock, the same lock every write takes, so an
 * entry never misses a write: a write before the load is read by the load, a write after it updates it.
 */
export class RosterCache {
  readonly #entries = new Map<string, CachedRoster>();
  readonly #store: RosterStore;
  readonly #lock: KeyedLock;
  readonly #log: Logger;

  constructor(store: RosterStore, lock: KeyedLock, log: Logger) {
    this.#store = store;
    this.#lock = lock;
    this.#log = log;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Starts loading the account's roster unless it is cached already. `key` is the bare JID. */
  load(key: string, host: string, username: string): Promise<boolean> {
    const existing = this.#entries.get(key);
    if (existing) return existing.ready;
    const entry: CachedRoster = { loaded: false, version: 0, items: new Map(), sorted: undefined, ready: undefined! };
    entry.ready = this.#lock
      .run(key, async () => {
        const roster = await this.#store.getRoster(host, username);
        entry.items.clear();
        for (const item of roster.items) entry.items.set(item.jid, freezeItem(item));
        entry.version = roster.version;
        entry.sorted = undefined;
        entry.loaded = true;
        return true;
      })
      .catch((err: unknown) => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
        this.#log.error({ err, user: key }, "roster load failed");
        return false;
      });
    this.#entries.set(key, entry);
    return entry.ready;
  }

  drop(key: string): void {
    this.#entries.delete(key);
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The entry only if loaded, without waiting: for code already holding the account's lock. */
  loadedEntry(key: string): CachedRoster | undefined {
    const e = this.#entries.get(key);
    return e?.loaded ? e : undefined;
  }

  /** The entry once loaded, or undefined when the account is not cached. */
  async get(key: string): Promise<CachedRoster | undefined> {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    if (e.loaded) return e;
    return (await e.ready) ? e : undefined;
  }

  /** Records a write made under the account's lock. */
  apply(key: string, jid: string, item: RosterItem | undefined, version: number): void {
    const e = this.#entries.get(key);
    if (!e?.loaded) return;
    if (item === undefined) e.items.delete(jid);
    else e.items.set(jid, item);
    e.version = version;
    e.sorted = undefined;
  }

  static snapshot(e: CachedRoster): RosterSnapshot {
    e.sorted ??= [...e.items.values()].sort((a, b) => (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0));
    return { version: e.version, items: e.sorted };
  }
}
