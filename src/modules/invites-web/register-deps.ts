// What web registration needs from the server, and the parts the form and the JSON API share.
import type { Context } from "hono";
import type { Config } from "../../core/config/index.ts";
import type { Logger } from "../../core/logger.ts";
import type { HttpEnv } from "../../http/types.ts";
import type { AccountsApi } from "../accounts/api.ts";
import type { InvitesApi, ValidInvite } from "../invites/api.ts";
import type { RegisterAppsApi } from "../register-apps/api.ts";
import { inviteLookup } from "./lookup.ts";

export interface RegistrationDeps {
  config: Config;
  log: Logger;
  invites: InvitesApi;
  accounts: AccountsApi;
  apps: RegisterAppsApi;
}

export type Resolved = { status: "valid"; valid: ValidInvite } | { status: "invalid" } | { status: "blocked" };

/**
 * The invite a registration request names, through the invite pages' lookup (every host asked, every failure
 * counted against the client's address in the throttle all token surfaces share, invites.md §15.1).
 * Contact-only invites register nothing: for registration they are as good as invalid.
 */
export function registrationLookup(deps: RegistrationDeps) {
  const lookup = inviteLookup(deps.invites, deps.config, deps.log);
  return async (c: Context<HttpEnv>, token: string): Promise<Resolved> => {
    if (token === "") return { status: "invalid" };
    const found = await lookup(c.get("clientIp"), c.get("host"), token);
    if (found.status !== "valid") return found;
    if (found.valid.kind === "contact-only" || !found.valid.record.allowRegistration) return { status: "invalid" };
    // Pages and answers speak for the invite's host (with one public_url, the request may have named another).
    c.set("host", found.valid.record.host);
    return found;
  };
}
