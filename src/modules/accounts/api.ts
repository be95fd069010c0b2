// The accounts module's public API: one registrar for every way an account is made (XEP-0077, the web
// form, the JSON API, the CLI), so the rules and the atomicity live in one place.
import type { AccountInvitedBy, Stores } from "../../storage/types.ts";
import type { StanzaError } from "../../xmpp/stanza-error.ts";

/**
 * Work that must commit or roll back together with the account: consuming an invite, applying its roles
 * and groups. Throw a StanzaError to abort the registration (nothing is kept).
 * Use only the stores handed in.
 */
export type RegistrationStep = (tx: Stores, account: { host: string; username: string }) => Promise<void>;

export interface RegistrationRequest {
  host: string;
  /** As the user typed it; the registrar prepares it (UsernameCaseMapped). */
  username: string;
  password: string;
  /** Client address, for per-IP limits; undefined for the CLI. */
  ip: string | undefined;
  via: "ibr" | "web" | "api" | "cli";
  /** Set by the invites front-ends: the invite in play (for the veto hooks and the events). */
  invite?: RegistrationInvite;
  /** Runs inside the account's transaction. */
  step?: RegistrationStep;
}

/** What the registrar and the `user-registering` hooks need to know about an invite. */
export interface RegistrationInvite {
  id: string;
  /** The only username it may register, if bound. */
  boundUsername: string | undefined;
  /** When set, this is a password reset of exactly that existing account. */
  resetUsername: string | undefined;
  inviter: string | undefined;
  /** Who invited the account it makes, kept on the account's row (not for a reset). */
  invited: AccountInvitedBy;
}

export type RegistrationResult =
  | { ok: true; username: string; host: string; reset: boolean }
  | { ok: false; error: StanzaError };

export interface AccountsApi {
  /**
   * Checks the username and the password policy, asks the `user-registering` hooks, derives the SCRAM
   * keys, then creates the account (or, for a reset invite, sets the password) and runs `step` in one
   * transaction. Fires `user-registered` or `user-password-reset` after the commit.
   * Errors use XEP-0077's conditions: not-acceptable (bad username or password), conflict (taken),
   * forbidden / not-acceptable / policy-violation from vetoes, internal-server-error (storage).
   */
  register(req: RegistrationRequest): Promise<RegistrationResult>;
  /** Validates a password against the policy; returns the problem, or undefined when it is fine. */
  passwordProblem(password: string, username: string): string | undefined;
  changePassword(host: string, username: string, password: string): Promise<RegistrationResult>;
  /** Deletes the account and what it owns; fires `user-deleted`. */
  deleteAccount(host: string, username: string): Promise<boolean>;
}
