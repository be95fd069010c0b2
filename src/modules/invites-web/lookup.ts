// Finding the invite behind a token for the pages: every cause of failure gives the same answer, each
// failure counts against the client's address (invites.md §15.1), and a blocked address is not looked up.
import type { Config } from "../../core/config/index.ts";
import type { Logger } from "../../core/logger.ts";
import type { InvitesApi, ValidInvite } from "../invites/api.ts";
import { tokenLogHint, tokenThrottleFor } from "../invites/token-throttle.ts";
import { looksLikeId } from "../invites/tokens.ts";

export type LookupResult = { status: "valid"; valid: ValidInvite } | { status: "invalid" } | { status: "blocked" };

export function inviteLookup(invites: InvitesApi, config: Config, log: Logger) {
  const throttle = tokenThrottleFor(config);
  const hosts = config.hosts.map((h) => h.domain);

  /** Registration tokens through validate(); contact-only ones need their inviter, so find() first. */
  const onHost = async (host: string, token: string): Promise<ValidInvite | undefined> => {
    const valid = await invites.validate(host, token);
    if (valid !== undefined) return valid;
    // find() also takes invite ids; a page must answer to tokens only.
    if (looksLikeId(token)) return undefined;
    const record = await invites.find(host, token);
    if (record?.type !== "roster" || record.allowRegistration || record.inviter === undefined) return undefined;
    return invites.validateContact(host, record.inviter, token);
  };

  return async (clientIp: string, requestHost: string, token: string): Promise<LookupResult> => {
    if (throttle.isBlocked(clientIp)) return { status: "blocked" };
    // With one public_url for several hosts the request's host may not be the invite's: every host is asked,
    // always all of them, so that the time taken says nothing about the token.
    let found: ValidInvite | undefined;
    for (const host of [requestHost, ...hosts.filter((h) => h !== requestHost)]) {
      const v = await onHost(host, token);
      found ??= v;
    }
    if (found !== undefined) return { status: "valid", valid: found };
    throttle.fail(clientIp);
    log.debug({ ip: clientIp, token: tokenLogHint(token) }, "invite page: token did not check out");
    return { status: "invalid" };
  };
}
