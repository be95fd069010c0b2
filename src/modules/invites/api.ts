// The invites model's public API (spec invites.md §2-9, §15): no protocol code. The XMPP, ad-hoc, web,
// CLI and HTTP API front-ends are thin layers over this.
import type { InviteRecord } from "../../storage/types.ts";
import type { RegistrationInvite, RegistrationStep } from "../accounts/api.ts";

/** Derived presentation type (spec §5.3). */
export type InviteKind = "account" | "password-reset" | "contact-only" | "account-and-contact";

/** Who is creating an invite, for permissions, quotas and the record's `createdBy`. */
export interface Creator {
  /** A bare JID of a local user, or "cli", "api:<key id>", "bootstrap". */
  by: string;
  isAdmin: boolean;
}

export interface CommonOptions {
  host: string;
  creator: Creator;
  /** Lifetime; defaults to invites.expiry (reset invites: invites.reset_expiry). */
  ttlSeconds?: number;
  note?: string;
}

export interface AccountInviteOptions extends CommonOptions {
  /** Binds the invite to this username (reserved while the invite lives). */
  username?: string;
  /** Primary role first, then secondary roles. Names: admin, user, restricted (and prosody:* aliases), plus invites.extra_roles. */
  roles?: string[];
  groups?: string[];
  reusable?: boolean;
  maxUses?: number;
  /**
   * Internal, for the HTTP bootstrap only (invites-bootstrap): this token instead of a random one. It is
   * derived there from the server secret, so the same URL can be given again without storing the token.
   * Must have the shape of a generated token (24 base64url characters), else bad-token; never user input.
   */
  token?: string;
}

export interface ContactInviteOptions extends CommonOptions {
  /** Localpart of the inviting user on `host`. */
  inviter: string;
  /** `ibr=y`: the token may also register an account. */
  allowRegistration: boolean;
  reusable?: boolean;
  maxUses?: number;
}

export interface ResetInviteOptions extends CommonOptions {
  username: string;
}

export interface CreatedInvite {
  /** The secret; shown to the creator once, never stored. */
  token: string;
  invite: InviteRecord;
  kind: InviteKind;
  /** `xmpp:` URI (spec §4). */
  uri: string;
  /** Landing page: invites.page_url, else Hearth's own /invite/TOKEN/ when [http] is on; else undefined. */
  landingPage: string | undefined;
}

/** An invite that checked out for use now (live: not expired, revoked or used up). */
export interface ValidInvite {
  token: string;
  record: InviteRecord;
  kind: InviteKind;
}

export type InviteErrorCode =
  | "bad-token"
  | "bad-username"
  | "bad-role"
  | "role-not-permitted"
  | "bad-ttl"
  | "bad-max-uses"
  | "no-such-account"
  | "no-such-group"
  | "not-permitted"
  | "quota-exceeded"
  | "not-found";

/** A refused request; front-ends map `code` to their own terms (stanza error, HTTP status, CLI message). */
export class InviteError extends Error {
  readonly code: InviteErrorCode;
  constructor(code: InviteErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface InviteTreeNode {
  /** "user@host", or "cli" / "api:<id>" / "bootstrap" for the roots. */
  who: string;
  at: number | undefined;
  inviteId: string | undefined;
  invited: InviteTreeNode[];
}

export interface InvitesApi {
  createAccount(opts: AccountInviteOptions): Promise<CreatedInvite>;
  /** The account must exist (else no-such-account); older live reset invites for it are revoked. */
  createReset(opts: ResetInviteOptions): Promise<CreatedInvite>;
  createContact(opts: ContactInviteOptions): Promise<CreatedInvite>;

  /** Registration use. One answer (undefined) for unknown, expired, used, revoked and malformed tokens. */
  validate(host: string, token: string): Promise<ValidInvite | undefined>;
  /** Subscription use (XEP-0379): a live contact invite whose inviter is `inviter`. */
  validateContact(host: string, inviter: string, token: string): Promise<ValidInvite | undefined>;

  /**
   * What the registrar needs to register with this invite: the facts for the veto hooks, and the step
   * that, inside the account's transaction, consumes the invite atomically (throwing
   * forbidden "This invitation has already been used" when another registration got there first),
   * applies its roles and groups and records who invited whom.
   * `checkExpiry` is false for a token validated earlier on the same XMPP stream (XEP-0445).
   */
  forRegistration(valid: ValidInvite, opts: { checkExpiry: boolean }): { invite: RegistrationInvite; step: RegistrationStep };
  /** XEP-0379: consumes a contact invite for a subscription from `subscriber` (bare JID); false if it was gone. */
  consumeForSubscription(valid: ValidInvite, subscriber: string): Promise<boolean>;

  /** Live invites of a host, oldest first (contact-only invites included). */
  list(host: string, filter?: { inviter?: string; createdBy?: string }): Promise<InviteRecord[]>;
  /** By token, or by id (an unambiguous prefix of at least 6 hex digits of the id). */
  find(host: string, tokenOrId: string): Promise<InviteRecord | undefined>;
  /** False when no live invite matched. */
  revoke(host: string, tokenOrId: string): Promise<boolean>;
  tree(host: string): Promise<InviteTreeNode[]>;
  /** Deletes expired invites and old tombstones; returns how many. */
  purge(): Promise<number>;

  kindOf(record: InviteRecord): InviteKind;
  uriFor(record: InviteRecord, token: string): string;
  landingPageFor(record: InviteRecord, token: string): string | undefined;
}
