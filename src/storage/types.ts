// Storage as the domain speaks it. Backends (sqlite now, postgres next) implement these; no module writes SQL.

export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** Passwords are kept only as SCRAM keys, one set per hash. */
export interface Credentials {
  sha1: ScramCredential;
  sha256: ScramCredential;
}

export type Role = "admin" | "user" | (string & {});

export interface Account {
  host: string;
  username: string;
  role: Role;
  credentials: Credentials;
  createdAt: number; // unix ms
  passwordChangedAt: number; // unix ms
}

export interface AccountSummary {
  host: string;
  username: string;
  role: Role;
  createdAt: number;
}

export interface AccountStore {
  /** Creates the account; false (and no change) when the username is taken. */
  create(host: string, username: string, credentials: Credentials, role: Role): Promise<boolean>;
  get(host: string, username: string): Promise<Account | undefined>;
  exists(host: string, username: string): Promise<boolean>;
  setCredentials(host: string, username: string, credentials: Credentials): Promise<boolean>;
  setRole(host: string, username: string, role: Role): Promise<boolean>;
  /** Deletes the account and everything it owns (roster, offline, vcard, private data). */
  delete(host: string, username: string): Promise<boolean>;
  list(host?: string): Promise<AccountSummary[]>;
  countWithRole(host: string, role: Role): Promise<number>;
}

export type Subscription = "none" | "to" | "from" | "both";

export interface RosterItem {
  /** Bare JID of the contact, already prepared. */
  jid: string;
  name?: string;
  subscription: Subscription;
  /** Pending-out: we asked the contact for a subscription. */
  ask: boolean;
  /** Pre-approved inbound subscription (RFC 6121 §3.4). */
  approved: boolean;
  groups: string[];
}

export interface Roster {
  version: number;
  items: RosterItem[];
}

export interface RosterStore {
  getRoster(host: string, username: string): Promise<Roster>;
  getItem(host: string, username: string, jid: string): Promise<RosterItem | undefined>;
  /** Inserts or replaces one item; returns the roster's new version. */
  putItem(host: string, username: string, item: RosterItem): Promise<number>;
  /** Returns the new version, or undefined when there was no such item. */
  removeItem(host: string, username: string, jid: string): Promise<number | undefined>;
  version(host: string, username: string): Promise<number>;
  /** Inbound subscription requests awaiting the user's answer, kept with the stanza to resend at login. */
  addPendingIn(host: string, username: string, jid: string, stanza: string): Promise<void>;
  removePendingIn(host: string, username: string, jid: string): Promise<boolean>;
  listPendingIn(host: string, username: string): Promise<{ jid: string; stanza: string }[]>;
  hasPendingIn(host: string, username: string, jid: string): Promise<boolean>;
}

export interface OfflineMessage {
  stanza: string;
  stamp: number; // unix ms
}

export interface OfflineStore {
  push(host: string, username: string, stanza: string, stamp: number): Promise<void>;
  /** Returns and deletes every stored message, oldest first. */
  popAll(host: string, username: string): Promise<OfflineMessage[]>;
  count(host: string, username: string): Promise<number>;
}

export interface VcardStore {
  get(host: string, username: string): Promise<string | undefined>;
  set(host: string, username: string, vcard: string | undefined): Promise<void>;
}

export interface PrivateStore {
  /** `key` is `{namespace}localname` of the stored element. */
  get(host: string, username: string, key: string): Promise<string | undefined>;
  set(host: string, username: string, key: string, xml: string | undefined): Promise<void>;
}

export interface Stores {
  accounts: AccountStore;
  rosters: RosterStore;
  offline: OfflineStore;
  vcards: VcardStore;
  privateData: PrivateStore;
}

export interface Storage extends Stores {
  /** Runs `fn` in one transaction: every store it is handed commits or rolls back together. */
  transaction<T>(fn: (tx: Stores) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
