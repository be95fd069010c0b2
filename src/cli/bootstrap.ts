// First start: a host without an administrator gets a one-day admin invite, printed on stdout (never logged).
import type { Config } from "../core/config/index.ts";
import type { Logger } from "../core/logger.ts";
import { InvitesModel, type Emit } from "../modules/invites/model.ts";
import type { Storage } from "../storage/types.ts";

const BOOTSTRAP = { by: "bootstrap", isAdmin: true };
const TTL_SECONDS = 86_400;

export interface BootstrapOptions {
  storage: Storage;
  config: Config;
  /** The running server's events, so invite-created handlers (landing pages) see the invite. */
  emit?: Emit;
  /** Gets ids only; the token goes to the returned lines alone. */
  log?: Logger;
}

/**
 * For each host with no admin account: revokes the earlier bootstrap invites that still live and creates a
 * new admin invite. Returns the lines for the operator; the caller prints them on stdout.
 */
export async function bootstrapAdminInvites(opts: BootstrapOptions): Promise<string[]> {
  const { storage, config } = opts;
  // A deployment that set up the HTTP bootstrap (invites.bootstrap.secret) takes over through that instead;
  // its stdout often ends up in a log.
  if (config.invites.bootstrap.secret !== "") return [];
  const invites = new InvitesModel({ storage, config, emit: opts.emit, log: opts.log });
  const out: string[] = [];
  for (const { domain: host } of config.hosts) {
    const earlier = await invites.list(host, { createdBy: BOOTSTRAP.by });
    for (const old of earlier) await invites.revoke(host, old.id);
    // An admin made some other way (hearth user add --role admin) retires the bootstrap invite too.
    if ((await storage.accounts.countWithRole(host, "admin")) > 0) continue;
    const created = await invites.createAccount({ host, creator: BOOTSTRAP, roles: ["admin"], ttlSeconds: TTL_SECONDS });
    out.push("", `No administrator on ${host} yet. Open this invite to create the admin account:`, `  ${created.uri}`);
    if (created.landingPage !== undefined) out.push(`  ${created.landingPage}`);
    out.push("(valid for one day; until there is an admin, each start replaces it with a new one)", "");
  }
  return out;
}
