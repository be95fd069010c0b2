// GET /bootstrap?token=SECRET (invites.md §13.4): one admin invite per host and configured index, the same URL on every call.
import type { Context } from "hono";
import type { Config } from "../../core/config/index.ts";
import type { Logger } from "../../core/logger.ts";
import { problem } from "../../http/app.ts";
import type { HttpEnv } from "../../http/types.ts";
import type { InviteRecord, Storage } from "../../storage/types.ts";
import type { InvitesApi } from "../invites/api.ts";
import { tokenThrottleFor } from "../invites/token-throttle.ts";
import { hashToken } from "../invites/tokens.ts";
import type { BootstrapRecord } from "./record.ts";
import { bootstrapToken, secretMatcher } from "./secrets.ts";

export interface BootstrapDeps {
  config: Config;
  storage: Pick<Storage, "invites" | "groups">;
  invites: InvitesApi;
  log: Logger;
  record: BootstrapRecord;
  serverSecret: Buffer;
  now?: () => number;
}

/** Snikket's bootstrap invite joins the group `default`; here only when the host has one. */
const DEFAULT_GROUP = "default";

export function bootstrapHandler(deps: BootstrapDeps) {
  const { config, storage, invites, log, record } = deps;
  const { secret, index, ttlSeconds } = config.invites.bootstrap;
  const now = deps.now ?? Date.now;
  const matches = secretMatcher(secret);
  const throttle = tokenThrottleFor(config);

  // One request at a time: two concurrent first calls must not both try to create the invite.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const redirect = (invite: InviteRecord, token: string): Response =>
    new Response(null, { status: 303, headers: { Location: invites.landingPageFor(invite, token) ?? invites.uriFor(invite, token) } });

  const issue = async (host: string): Promise<Response> => {
    const token = bootstrapToken(deps.serverSecret, host, index);
    const issued = record.get(host);
    if (issued !== undefined && issued.index > index) {
      return problem(410, "Bootstrap index already used", `An invite was made for index ${issued.index}; raise invites.bootstrap.index for a new one`);
    }
    // Live, used, revoked or expired alike: the same URL again.
    const existing = await storage.invites.get(host, hashToken(token));
    if (existing !== undefined) {
      // Made, but the record could not be written last time.
      if (issued?.index !== index) record.set(host, { index, invite: existing.id, at: now() });
      return redirect(existing, token);
    }
    if (issued?.index === index) {
      return problem(410, "Bootstrap invite gone", "The invite for this index has expired and was deleted; raise invites.bootstrap.index for a new one");
    }
    const groups = (await storage.groups.get(host, DEFAULT_GROUP)) !== undefined ? [DEFAULT_GROUP] : [];
    const created = await invites.createAccount({
      host,
      creator: { by: `bootstrap:${index}`, isAdmin: true },
      roles: ["admin"],
      groups,
      ttlSeconds,
      token,
    });
    log.info({ host, invite: created.invite.id, index }, "bootstrap invite created");
    record.set(host, { index, invite: created.invite.id, at: now() });
    return redirect(created.invite, token);
  };

  return async (c: Context<HttpEnv>): Promise<Response> => {
    // Hono answers HEAD with GET handlers; a HEAD must never create an invite.
    if (c.req.method === "HEAD") return new Response(null, { status: 405, headers: { Allow: "GET" } });
    const ip = c.get("clientIp");
    if (throttle.isBlocked(ip)) {
      const res = problem(429, "Too many attempts", "Too many requests with a wrong secret from this address; try again later");
      res.headers.set("Retry-After", String(config.invites.tokenFailures.windowSeconds));
      return res;
    }
    if (!matches(c.req.query("token"))) {
      throttle.fail(ip);
      log.info({ ip }, "bootstrap: wrong or missing secret");
      return problem(403, "Forbidden");
    }
    return serially(() => issue(c.get("host")));
  };
}
