// RFC 6121 §2: the roster module's public API; every roster write in the server goes through it.
import type { RosterItem } from "../../storage/types.ts";

/** What a roster push announces for a removed item (RFC 6121 §2.5.2). */
export interface RemovedItem {
  jid: string;
  subscription: "remove";
}

export type PushedItem = RosterItem | RemovedItem;

/** A roster as read: items are frozen (shared with the cache), sorted by JID. */
export interface RosterSnapshot {
  version: number;
  items: readonly RosterItem[];
}

export interface UpdateOptions {
  /** Send a roster push to the account's interested resources when the item changed (default true). */
  push?: boolean;
}

/** `fn` gets the current item (frozen; undefined when there is none) and returns the new one, or undefined to delete it. */
export type ItemUpdater = (item: Readonly<RosterItem> | undefined) => RosterItem | undefined;

export interface RosterApi {
  getRoster(host: string, username: string): Promise<RosterSnapshot>;
  getItem(host: string, username: string, contact: string): Promise<RosterItem | undefined>;
  /**
   * Atomically (per account) replaces one item with what `fn` returns and pushes the change.
   * Nothing is written or pushed when the result equals the current item. Returns the item as stored.
   * `fn` runs synchronously and may throw (a StanzaError, say), which rejects the call with nothing changed.
   */
  updateItem(host: string, username: string, contact: string, fn: ItemUpdater, opts?: UpdateOptions): Promise<RosterItem | undefined>;
  /**
   * For an item written straight to the store (inside a transaction that spans other stores, or by the CLI):
   * brings the cached roster up to date and pushes the item as stored (or its removal). No write of its own.
   */
  resync(host: string, username: string, contact: string): Promise<void>;
  /** Sends `<iq type='set'><query ver='version'><item/></query></iq>` to each interested resource of the account. */
  push(host: string, username: string, item: PushedItem, version: number): void;

  /** Inbound subscription requests awaiting an answer (RFC 6121 §3.1.3), kept with the stanza to resend. */
  hasPendingIn(host: string, username: string, contact: string): Promise<boolean>;
  addPendingIn(host: string, username: string, contact: string, stanza: string): Promise<void>;
  removePendingIn(host: string, username: string, contact: string): Promise<boolean>;
  listPendingIn(host: string, username: string): Promise<{ jid: string; stanza: string }[]>;

  /** True while the account's roster is held in memory (it has a bound session). */
  isCached(host: string, username: string): boolean;
}

export function hasTo(item: { subscription: string } | undefined): boolean {
  return item !== undefined && (item.subscription === "to" || item.subscription === "both");
}

export function hasFrom(item: { subscription: string } | undefined): boolean {
  return item !== undefined && (item.subscription === "from" || item.subscription === "both");
}
