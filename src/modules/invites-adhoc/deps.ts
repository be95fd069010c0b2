// What the invite commands need from the server: the invites model and the [invites] settings.
import type { InvitesConfig } from "../../core/config/schema-invites.ts";
import type { Requester } from "../adhoc/api.ts";
import type { Creator, InvitesApi } from "../invites/api.ts";

export interface CommandDeps {
  invites: InvitesApi;
  config: InvitesConfig;
}

export function creatorOf(r: Requester): Creator {
  return { by: r.jid.bareString(), isAdmin: r.isAdmin };
}
