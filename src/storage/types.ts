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
  /** `invited`: the invite it was made with, kept on the account's row (what InviteTrackingStore reads). */
  create(host: string, username: string, credentials: Credentials, role: Role, invited?: AccountInvitedBy): Promise<boolean>;
  get(host: string, username: string): Promise<Account | undefined>;
  exists(host: string, username: string): Promise<boolean>;
  setCredentials(host: string, username: string, credentials: Credentials): Promise<boolean>;
  setRole(host: string, username: string, role: Role): Promise<boolean>;
  /** Deletes the account and everything it owns (roster, offline, vcard, private data). */
  delete(host: string, username: string): Promise<boolean>;
  list(host?: string): Promise<AccountSummary[]>;
  countWithRole(host: string, role: Role): Promise<number>;
  /** Roles beyond the primary one (e.g. from an invite's roles list). */
  getSecondaryRoles(host: string, username: string): Promise<string[]>;
  setSecondaryRoles(host: string, username: string, roles: string[]): Promise<void>;
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
  /** Every account with at least one pending inbound request (read once at start-up). */
  pendingInHolders(): Promise<{ host: string; username: string }[]>;
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
  /** Every account with at least one stored message (read once at start-up). */
  holders(): Promise<{ host: string; username: string }[]>;
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

export type InviteType = "register" | "roster";

/**
 * One invite. The token itself is never stored: `tokenHash` is the hex SHA-256 of it, and `id` (the
 * first 16 hex digits of that hash) names the invite in listings, logs and the CLI.
 */
export interface InviteRecord {
  host: string;
  tokenHash: string;
  id: string;
  /** `register`: account invite (also password reset and group invites); `roster`: contact invite. */
  type: InviteType;
  /** register: the one username it may create (also the account a reset invite resets). */
  boundUsername: string | undefined;
  /** register: set when this is a password-reset invite for that (existing) username. */
  resetUsername: string | undefined;
  /** roster: the local user who invited (a localpart of `host`). */
  inviter: string | undefined;
  /** roster: whether the token may also register an account (`ibr=y`); always true for register. */
  allowRegistration: boolean;
  reusable: boolean;
  /** Only with reusable: how many registrations it allows in all. */
  maxUses: number | undefined;
  uses: number;
  /** Primary role first, then secondary roles, applied at registration. */
  roles: string[];
  groups: string[];
  note: string | undefined;
  /** Who asked for it: a bare JID, "cli", "api:<key id>", "bootstrap". */
  createdBy: string;
  createdAt: number; // unix ms
  expires: number; // unix ms; expired when now >= expires
  revokedAt: number | undefined;
  /** Single-use invites are kept as tombstones after use, for the audit trail; they never validate again. */
  usedAt: number | undefined;
  usedBy: string | undefined;
}

/** The fields a use of an invite changes. */
export type InviteUse = Pick<InviteRecord, "uses" | "usedAt" | "usedBy">;

export interface InviteStore {
  insert(invite: InviteRecord): Promise<void>;
  get(host: string, tokenHash: string): Promise<InviteRecord | undefined>;
  /** Invites of a host whose id starts with `idPrefix` (at least 6 hex digits). */
  findById(host: string, idPrefix: string): Promise<InviteRecord[]>;
  /**
   * The atomic use of an invite: one conditional update that succeeds only if the invite is not revoked,
   * not used up (single-use: not used; reusable: uses < maxUses) and, when `checkExpiry`, not expired.
   * Increments `uses`; marks single-use invites (and reusable ones reaching maxUses) used.
   * Returns the use's fields as they now are (the rest of the record does not change), or undefined when
   * the invite could not be used.
   */
  consume(host: string, tokenHash: string, usedBy: string, now: number, checkExpiry: boolean): Promise<InviteUse | undefined>;
  /** Marks it revoked; false when there was no live invite with that hash. */
  revoke(host: string, tokenHash: string, now: number): Promise<boolean>;
  /** Live invites (not expired, revoked or used up), oldest first; optionally only one inviter's contact invites. */
  listLive(host: string, now: number, filter?: { inviter?: string; createdBy?: string; type?: InviteType }): Promise<InviteRecord[]>;
  /** A live register invite bound to this username (the username is reserved while it lives). */
  findLiveBound(host: string, username: string, now: number): Promise<InviteRecord | undefined>;
  countLiveCreatedBy(host: string, createdBy: string, now: number): Promise<number>;
  /** Revokes every live reset invite for the username; returns how many. */
  revokeResets(host: string, username: string, now: number): Promise<number>;
  /** Deletes the contact invites of an inviter (when the account goes). */
  deleteByInviter(host: string, inviter: string): Promise<number>;
  /** Deletes invites expired before `now`, and tombstones/revoked ones older than `keepUntil`. */
  purge(now: number, keepUntil: number): Promise<number>;
  countLive(host: string, now: number): Promise<number>;
}

export interface Group {
  host: string;
  id: string;
  name: string;
  createdAt: number;
}

/** Groups are circles: their members have each other in their rosters, under the group's name. */
export interface GroupStore {
  create(host: string, id: string, name: string): Promise<boolean>;
  get(host: string, id: string): Promise<Group | undefined>;
  list(host: string): Promise<Group[]>;
  delete(host: string, id: string): Promise<boolean>;
  addMember(host: string, id: string, username: string): Promise<boolean>;
  removeMember(host: string, id: string, username: string): Promise<boolean>;
  members(host: string, id: string): Promise<string[]>;
  groupsOf(host: string, username: string): Promise<Group[]>;
}

/** Who invited an account, as its creation records it. */
export type AccountInvitedBy = Pick<InvitedRecord, "inviteId" | "invitedBy" | "at">;

export interface InvitedRecord {
  host: string;
  username: string;
  inviteId: string;
  /** The invite's createdBy: a bare JID, "cli", "api:<id>"… */
  invitedBy: string;
  at: number;
}

/** Who invited whom. */
export interface InviteTrackingStore {
  record(entry: InvitedRecord): Promise<void>;
  get(host: string, username: string): Promise<InvitedRecord | undefined>;
  list(host: string): Promise<InvitedRecord[]>;
}

/** What an invites-API key may create (and see): account, contact and password-reset invites. */
export type ApiKeyKind = "account" | "contact" | "reset";

/**
 * A key of the invites HTTP API. The secret is never stored: `secretHash` is the hex SHA-256 of it.
 * The id is public (logs, listings, an invite's `createdBy` = "api:<id>").
 */
export interface ApiKeyRecord {
  /** 12 characters of base64url. */
  id: string;
  name: string | undefined;
  /** Hosts it may act on; undefined = every host of the server, including ones added later. */
  hosts: string[] | undefined;
  /** Kinds of invite it may create; never empty. */
  kinds: ApiKeyKind[];
  secretHash: string;
  createdAt: number; // unix ms
  /** Unix ms; unusable when now >= expires. Undefined: never expires. */
  expires: number | undefined;
  revokedAt: number | undefined;
}

export interface ApiKeyStore {
  /** False (and no change) when the id is taken. */
  insert(key: ApiKeyRecord): Promise<boolean>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, revoked and expired ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Marks it revoked; false when there is no such key or it is revoked already. */
  revoke(id: string, now: number): Promise<boolean>;
}

export interface Stores {
  accounts: AccountStore;
  rosters: RosterStore;
  offline: OfflineStore;
  vcards: VcardStore;
  privateData: PrivateStore;
  invites: InviteStore;
  groups: GroupStore;
  inviteTracking: InviteTrackingStore;
  apiKeys: ApiKeyStore;
}

export interface Storage extends Stores {
  /** Runs `fn` in one transaction: every store it is handed commits or rolls back together. */
  transaction<T>(fn: (tx: Stores) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
