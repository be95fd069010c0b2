// XEP-0445 0.2.0 (the wire format of XEP-0401 0.3.0): a `<preauth/>` token checked before XEP-0077 registration
// and kept on the stream (spec invites.md §7.2), with the brute-force limits of §15.1.
import type { ModuleContext, PreAuthIqContext } from "../../core/module.ts";
import type { Session } from "../../core/session.ts";
import { errorStanza } from "../../core/router.ts";
import type { Element } from "../../xml/element.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import { StreamError } from "../../xmpp/stream-error.ts";
import type { InvitesApi, ValidInvite } from "../invites/api.ts";
import { type TokenThrottle, tokenLogHint } from "../invites/token-throttle.ts";
import { ENCRYPTION_REQUIRED, type RegisterApi } from "../register/api.ts";

export const STATE_KEY = "invites-register";
export const INVALID_TOKEN = "The invite token is invalid or expired";
export const TOO_MANY_FAILURES = "Too many invalid invite tokens from this address; try again later";

/** What a stream remembers: the last token that checked out, and how many did not. */
interface PreauthState {
  valid: ValidInvite | undefined;
  failures: number;
}

function stateOf(session: Session): PreauthState {
  let st = session.state.get(STATE_KEY) as PreauthState | undefined;
  if (!st) {
    st = { valid: undefined, failures: 0 };
    session.state.set(STATE_KEY, st);
  }
  return st;
}

/**
 * The invite a registration on this stream uses. A later valid `<preauth/>` replaces it; a failed one leaves it
 * (test-cases.md C27). Its expiry is not checked again (XEP-0445), but revocation and use are, at commit.
 */
export function heldInvite(session: Session): ValidInvite | undefined {
  return (session.state.get(STATE_KEY) as PreauthState | undefined)?.valid;
}

export interface PreauthDeps {
  ctx: ModuleContext;
  invites: InvitesApi;
  register: RegisterApi;
  throttle: TokenThrottle;
}

export function preauthSet(d: PreauthDeps) {
  const { config, log } = d.ctx;
  return async ({ session, stanza }: PreAuthIqContext, preauth: Element): Promise<undefined> => {
    if (!d.register.enabled()) throw new StanzaError("service-unavailable");
    // A token is a password: it does not travel in the clear (Prosody 0.12 accepts it before TLS).
    if (d.register.needsEncryption(session)) throw new StanzaError("policy-violation", ENCRYPTION_REQUIRED, "modify");
    const st = stateOf(session);
    const token = preauth.attrs.token;

    /** Answers the failure; the stream that has failed too often gets the answer and then is closed. */
    const refuse = (err: StanzaError, why: string): undefined => {
      st.failures++;
      log.info({ session: session.id, ip: session.ip, tokenHash: tokenLogHint(token), failures: st.failures, why }, "invite token refused");
      if (st.failures < config.invites.preauthFailuresPerStream) throw err;
      session.send(errorStanza(stanza, err));
      // Closing makes the router's own reply a no-op and stops the stream's queued stanzas.
      session.close(new StreamError("policy-violation", "Too many invalid invite tokens"));
      return undefined;
    };

    if (d.throttle.isBlocked(session.ip)) {
      return refuse(new StanzaError("policy-violation", TOO_MANY_FAILURES, "wait"), "address throttled");
    }
    const valid = token ? await d.invites.validate(session.host, token) : undefined;
    if (!valid || !valid.record.allowRegistration) {
      d.throttle.fail(session.ip);
      return refuse(new StanzaError(config.invites.preauthErrorCondition, INVALID_TOKEN, "cancel"), "invalid");
    }
    st.valid = valid;
    log.debug({ session: session.id, invite: valid.record.id }, "invite token accepted");
    return undefined;
  };
}

/** Only `set` carries a token ([OURS], §7.2): a `get` changes nothing. */
export function preauthGet(): never {
  throw new StanzaError("bad-request", "Submit a token with type='set'", "modify");
}
