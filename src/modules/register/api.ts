// The register module's public API: when XEP-0077 is offered, and a way for other modules to say which
// invite a registration on a stream carries (XEP-0445's `<preauth/>` lives in invites-register).
import type { Session } from "../../core/session.ts";
import type { RegistrationInvite, RegistrationStep } from "../accounts/api.ts";

/** The invite a registration uses, and the step that consumes it inside the account's transaction. */
export interface InviteForRegistration {
  invite: RegistrationInvite;
  step: RegistrationStep;
}

/** Asked at each registration on an unauthenticated stream; undefined when the stream holds no invite. */
export type InviteProvider = (session: Session) => InviteForRegistration | undefined;

export interface RegisterApi {
  /** Registration is configured at all: open (allow_registration) or through invites (invite_only). */
  enabled(): boolean;
  /** The stream must encrypt first: not secure while tls.policy is "required" (§7.1 c2s_require_encryption). */
  needsEncryption(session: Session): boolean;
  /** XEP-0077 and the invite features are advertised to this stream (unauthenticated, enabled, encrypted if required). */
  offered(session: Session): boolean;
  /** The first provider that answers supplies the invite; returns a function that removes it again. */
  addInviteProvider(provider: InviteProvider): () => void;
}

/** Prosody's wording, shared with the `<preauth/>` handler. */
export const ENCRYPTION_REQUIRED = "Encryption is required";
export const INVITATION_ONLY = "Registration on this server is through invitation only";
