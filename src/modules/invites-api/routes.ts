// The invites API under /api/v1 (docs/api.md, docs/openapi.json): create, list, show, revoke invites and the invite tree.
import { Hono, type Context } from "hono";
import type { Config } from "../../core/config/index.ts";
import { noStore } from "../../http/security-headers.ts";
import type { HttpEnv } from "../../http/types.ts";
import type { ApiKeyRecord } from "../../storage/types.ts";
import { InviteError, type CreatedInvite, type Creator, type InvitesApi } from "../invites/api.ts";
import type { AuthOutcome, KeyAuth } from "./auth.ts";
import { apiKindOf, createdInviteJson, inviteJson, treeJson } from "../invites/json.ts";
import { keyAllows } from "./keys.ts";
import { apiProblem } from "./problems.ts";
import { createInviteBody, issuesOf, type CreateInviteBody } from "./schemas.ts";
import { hostResolver } from "./scope.ts";

export interface ApiRoutesDeps {
  config: Config;
  invites: InvitesApi;
  auth: KeyAuth;
  now?: () => number;
}

type C = Context<HttpEnv>;

export const REALM = 'Bearer realm="hearth"';
const JSON_TYPE = /^application\/json\s*(;|$)/i;
const ID = /^[0-9a-f]{6,16}$/i;

/** 401 with a challenge (RFC 6750 §3), or 429 once the address has failed too often. */
export function refusal(outcome: Exclude<AuthOutcome, { ok: true }>, auth: KeyAuth): Response {
  if (outcome.reason === "blocked") {
    const res = apiProblem("too-many-attempts", "Too many requests with a bad API key from this address; try again later");
    res.headers.set("Retry-After", String(auth.retryAfterSeconds));
    return res;
  }
  const missing = outcome.reason === "missing";
  const res = apiProblem(
    "unauthorized",
    missing ? "Send an API key: Authorization: Bearer ID.SECRET" : "The API key is unknown, wrong, expired or revoked",
  );
  res.headers.set("WWW-Authenticate", missing ? REALM : `${REALM}, error="invalid_token"`);
  return res;
}

export function creatorOf(key: ApiKeyRecord): Creator {
  return { by: `api:${key.id}`, isAdmin: true };
}

export function inviteFailure(e: unknown): Response {
  if (e instanceof InviteError) return apiProblem(e.code, e.message);
  throw e;
}

export function apiRoutes(deps: ApiRoutesDeps): Hono<HttpEnv> {
  const { invites, auth } = deps;
  const now = deps.now ?? Date.now;
  const resolveHost = hostResolver(deps.config);
  const r = new Hono<HttpEnv>();
  // Answers carry tokens or what an API key may see: never kept by a cache.
  r.use("*", noStore());

  const withKey =
    (handler: (c: C, key: ApiKeyRecord) => Promise<Response>) =>
    async (c: C): Promise<Response> => {
      const outcome = await auth.authenticate(c);
      return outcome.ok ? handler(c, outcome.key) : refusal(outcome, auth);
    };

  const create = (body: CreateInviteBody, host: string, creator: Creator): Promise<CreatedInvite> => {
    const common = { host, creator, ttlSeconds: body.ttl, note: body.note };
    switch (body.kind) {
      case "account":
        return invites.createAccount({
          ...common,
          username: body.username,
          roles: body.roles,
          groups: body.groups,
          reusable: body.reusable ?? body.max_uses !== undefined,
          maxUses: body.max_uses,
        });
      case "contact":
        return invites.createContact({
          ...common,
          inviter: body.inviter,
          allowRegistration: body.ibr === true,
          reusable: body.reusable ?? body.max_uses !== undefined,
          maxUses: body.max_uses,
        });
      case "reset":
        return invites.createReset({ ...common, username: body.username });
    }
  };

  /** The invite named in the path, when the key may see it. */
  const lookup = async (c: C, key: ApiKeyRecord) => {
    const host = resolveHost(c, key, c.req.query("host"));
    if (host instanceof Response) return host;
    const id = c.req.param("id") ?? "";
    const record = ID.test(id) ? await invites.find(host, id) : undefined;
    if (record === undefined) return apiProblem("not-found", `No invite ${id} on ${host}`);
    if (!keyAllows(key, host, apiKindOf(record))) return apiProblem("forbidden", `This key may not handle ${apiKindOf(record)} invites`);
    return { host, record };
  };

  r.post(
    "/invites",
    withKey(async (c, key) => {
      const type = c.req.header("content-type") ?? "";
      if (!JSON_TYPE.test(type)) return apiProblem("unsupported-media-type", "Send the invite as Content-Type: application/json");
      let raw: unknown;
      try {
        raw = JSON.parse(await c.req.text());
      } catch {
        return apiProblem("malformed-json", "The request body could not be parsed as JSON");
      }
      const parsed = createInviteBody.safeParse(raw);
      if (!parsed.success) {
        const errors = issuesOf(parsed.error);
        return apiProblem("invalid-request", errors.map((e) => `${e.pointer || "body"}: ${e.detail}`).join("; "), { errors });
      }
      const body = parsed.data;
      const host = resolveHost(c, key, body.host);
      if (host instanceof Response) return host;
      if (!keyAllows(key, host, body.kind)) return apiProblem("forbidden", `This key may not create ${body.kind} invites`);
      try {
        const created = await create(body, host, creatorOf(key));
        return c.json(createdInviteJson(created, now()), 201, { Location: `/api/v1/invites/${created.invite.id}` });
      } catch (e) {
        return inviteFailure(e);
      }
    }),
  );

  r.get(
    "/invites",
    withKey(async (c, key) => {
      const host = resolveHost(c, key, c.req.query("host"));
      if (host instanceof Response) return host;
      const t = now();
      const records = (await invites.list(host)).filter((rec) => keyAllows(key, host, apiKindOf(rec)));
      return c.json(records.map((rec) => inviteJson(rec, t)));
    }),
  );

  r.get(
    "/invites/tree",
    withKey(async (c, key) => {
      const host = resolveHost(c, key, c.req.query("host"));
      if (host instanceof Response) return host;
      return c.json(treeJson(await invites.tree(host)));
    }),
  );

  r.get(
    "/invites/:id",
    withKey(async (c, key) => {
      const found = await lookup(c, key);
      if (found instanceof Response) return found;
      return c.json(inviteJson(found.record, now()));
    }),
  );

  r.delete(
    "/invites/:id",
    withKey(async (c, key) => {
      const found = await lookup(c, key);
      if (found instanceof Response) return found;
      if (!(await invites.revoke(found.host, found.record.id))) {
        return apiProblem("not-found", `Invite ${found.record.id} is no longer live (revoked, used or expired)`);
      }
      return c.body(null, 204);
    }),
  );

  return r;
}
