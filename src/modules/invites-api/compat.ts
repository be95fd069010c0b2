// invites.md §12: Prosody's mod_invites_api route, GET /invites_api with `Authorization: Bearer ID/SECRET`.
// Every bad or missing key is 403 there; the key in the query string (`?key=`) is not accepted (query
// strings end up in logs).
import type { Context } from "hono";
import type { Config } from "../../core/config/index.ts";
import type { HttpEnv } from "../../http/types.ts";
import type { InvitesApi } from "../invites/api.ts";
import type { KeyAuth } from "./auth.ts";
import { keyAllows } from "./keys.ts";
import { apiProblem } from "./problems.ts";
import { creatorOf, inviteFailure } from "./routes.ts";
import { hostResolver } from "./scope.ts";

export interface CompatDeps {
  config: Config;
  invites: InvitesApi;
  auth: KeyAuth;
}

function wantsRedirect(value: string | undefined): boolean {
  return value !== undefined && !/^(false|0|no)$/i.test(value);
}

export function compatHandler(deps: CompatDeps) {
  const { invites, auth } = deps;
  const resolveHost = hostResolver(deps.config);
  return async (c: Context<HttpEnv>): Promise<Response> => {
    // Hono answers HEAD with GET handlers; a HEAD must never create an invite.
    if (c.req.method === "HEAD") return new Response(null, { status: 405, headers: { Allow: "GET" } });
    const outcome = await auth.authenticate(c);
    if (!outcome.ok) {
      if (outcome.reason !== "blocked") return apiProblem("key-refused");
      const res = apiProblem("too-many-attempts");
      res.headers.set("Retry-After", String(auth.retryAfterSeconds));
      return res;
    }
    const { key } = outcome;
    const host = resolveHost(c, key, undefined);
    if (host instanceof Response) return host;
    if (!keyAllows(key, host, "account")) return apiProblem("forbidden", "This key may not create account invites");
    try {
      const created = await invites.createAccount({ host, creator: creatorOf(key) });
      const location = created.landingPage ?? created.uri;
      const status = wantsRedirect(c.req.query("redirect")) ? 303 : 201;
      return new Response(null, { status, headers: { Location: location, "Cache-Control": "no-store" } });
    } catch (e) {
      return inviteFailure(e);
    }
  };
}
