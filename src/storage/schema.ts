// Table types of the kysely storage backends (SQLite and PostgreSQL share them).
import type { ColumnType, Generated } from "kysely";

/** Unix ms in a bigint column: pg hands bigint back as a string, SQLite as a number. Read through `toNumber`. */
export type Millis = ColumnType<number | string | bigint, number, number>;
/** blob (SQLite) / bytea (PostgreSQL); both drivers take and give Buffers. Read through `toBuffer`. */
export type Bytes = ColumnType<Buffer | Uint8Array, Buffer, Buffer>;
/** A nullable Millis column. */
export type NullableMillis = ColumnType<number | string | bigint | null, number | null, number | null>;
/** Booleans are integer 0/1 on every backend. */
export type Flag = number;
/** count(*) and bigint ids: number on SQLite, string on pg. */
export type BigCount = number | string | bigint;

export interface AccountsTable {
  host: string;
  username: string;
  role: string;
  created_at: Millis;
  password_changed_at: Millis;
  sha1_salt: Bytes;
  sha1_iterations: number;
  sha1_stored_key: Bytes;
  sha1_server_key: Bytes;
  sha256_salt: Bytes;
  sha256_iterations: number;
  sha256_stored_key: Bytes;
  sha256_server_key: Bytes;
  /** Who invited the account (InviteTrackingStore); moved to invite_tracking when the account is deleted. */
  invite_id: string | null;
  invited_by: string | null;
  invited_at: NullableMillis;
}

export interface RosterItemsTable {
  host: string;
  username: string;
  jid: string;
  name: string | null;
  subscription: string;
  ask: Flag;
  approved: Flag;
  /** JSON array of strings. */
  groups: string;
}

export interface RosterVersionsTable {
  host: string;
  username: string;
  version: number;
}

export interface RosterPendingInTable {
  host: string;
  username: string;
  jid: string;
  stanza: string;
}

export interface OfflineMessagesTable {
  id: Generated<BigCount>;
  host: string;
  username: string;
  stanza: string;
  stamp: Millis;
}

export interface VcardsTable {
  host: string;
  username: string;
  vcard: string;
}

export interface PrivateDataTable {
  host: string;
  username: string;
  /** `{namespace}localname` */
  key: string;
  xml: string;
}

/** Invites by hex SHA-256 of the token (never the token); `id` is its first 16 hex digits. */
export interface InvitesTable {
  host: string;
  token_hash: string;
  id: string;
  type: string;
  bound_username: string | null;
  reset_username: string | null;
  inviter: string | null;
  allow_registration: Flag;
  reusable: Flag;
  max_uses: number | null;
  uses: number;
  /** JSON array of strings. */
  roles: string;
  /** JSON array of strings. */
  groups: string;
  note: string | null;
  created_by: string;
  created_at: Millis;
  expires: Millis;
  revoked_at: NullableMillis;
  used_at: NullableMillis;
  used_by: string | null;
}

/** Who invited whom: one row per registered username, kept after the account goes. */
export interface InviteTrackingTable {
  host: string;
  username: string;
  invite_id: string;
  invited_by: string;
  at: Millis;
}

export interface GroupsTable {
  host: string;
  id: string;
  name: string;
  created_at: Millis;
}

export interface GroupMembersTable {
  host: string;
  group_id: string;
  username: string;
}

/** Secondary roles, one row per (account, role). */
export interface AccountRolesTable {
  host: string;
  username: string;
  role: string;
}

/** Invites-API keys by id; only the hex SHA-256 of the secret is kept. */
export interface ApiKeysTable {
  id: string;
  name: string | null;
  /** JSON array of hosts; null = every host. */
  hosts: string | null;
  /** JSON array of invite kinds. */
  kinds: string;
  secret_hash: string;
  created_at: Millis;
  expires: NullableMillis;
  revoked_at: NullableMillis;
}

export interface Database {
  accounts: AccountsTable;
  roster_items: RosterItemsTable;
  roster_versions: RosterVersionsTable;
  roster_pending_in: RosterPendingInTable;
  offline_messages: OfflineMessagesTable;
  vcards: VcardsTable;
  private_data: PrivateDataTable;
  invites: InvitesTable;
  invite_tracking: InviteTrackingTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  account_roles: AccountRolesTable;
  api_keys: ApiKeysTable;
}
