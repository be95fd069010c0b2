// invites.md §11a (mod_invites_register_api, as the Snikket portal uses it): GET /register_api/invite/TOKEN and
// POST /register_api/register, with [OURS] JSON error bodies {error, error_description} and reset invites consumed.
//
// No CSRF token here, unlike the form: the request must carry the invite token in a JSON body with
// Content-Type application/json, which a cross-site HTML form cannot send, and a cross-site fetch() with that
// type needs a CORS preflight this server never grants.
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { siteName } from "../../http/render.tsx";
import type { HttpEnv } from "../../http/types.ts";
import { prepLocalpart } from "../../xmpp/jid.ts";
import type { ValidInvite } from "../invites/api.ts";
import { registrationLookup, type RegistrationDeps } from "./register-deps.ts";
import { classify, P } from "./register-outcome.ts";

type C = Context<HttpEnv>;

function jsonError(status: ContentfulStatusCode, error: string, description: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** One answer for unknown, expired, used, revoked and malformed tokens (invites.md §15.1). */
const invalidToken = () => jsonError(404, "invalid_token", "The invite is not valid");

/** application/json, with or without parameters such as charset. */
function isJson(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

function field(data: Record<string, unknown>, name: string): string | undefined {
  const v = data[name];
  return typeof v === "string" && v !== "" ? v : undefined;
}

export function registerApiRoutes(deps: RegistrationDeps): Hono<HttpEnv> {
  const { config, log, invites, accounts } = deps;
  const lookup = registrationLookup(deps);
  const r = new Hono<HttpEnv>();
  r.use("*", async (c, next) => {
    await next();
    c.res.headers.set("Cache-Control", "no-store");
  });

  const resolve = async (c: C, token: string): Promise<ValidInvite | Response> => {
    const found = await lookup(c, token);
    if (found.status === "blocked") {
      return jsonError(429, "too_many_requests", "Too many invalid invite tokens from this address; try again later", {
        "Retry-After": String(config.invites.tokenFailures.windowSeconds),
      });
    }
    if (found.status === "invalid") return invalidToken();
    return found.valid;
  };

  r.get("/invite/:token", async (c) => {
    const valid = await resolve(c, c.req.param("token"));
    if (valid instanceof Response) return valid;
    const { record, token } = valid;
    const host = record.host;
    const inviter = record.type === "roster" && record.inviter !== undefined ? `${record.inviter}@${host}` : undefined;
    const bound = record.type === "register" ? record.boundUsername : undefined;
    return c.json({
      site_name: siteName(config, host),
      token,
      domain: host,
      uri: invites.uriFor(record, token),
      type: record.type,
      // Upstream's invite.jid: whom the invite is about (the inviter of a contact invite, else the account or host).
      jid: inviter ?? (bound !== undefined ? `${bound}@${host}` : host),
      inviter,
      reset: record.resetUsername,
    });
  });

  r.post("/register", async (c) => {
    if (!isJson(c.req.header("content-type"))) return jsonError(400, "invalid_request", "The body must be JSON, sent as application/json");
    let data: unknown;
    try {
      data = JSON.parse(await c.req.text());
    } catch {
      return jsonError(400, "invalid_request", "The body is not valid JSON");
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) return jsonError(400, "invalid_request", "The body must be a JSON object");
    const obj = data as Record<string, unknown>;
    const username = field(obj, "username");
    const password = field(obj, "password");
    const token = field(obj, "token");
    if (username === undefined || password === undefined || token === undefined) {
      return jsonError(400, "invalid_request", "username, password and token are required, as non-empty strings");
    }
    const valid = await resolve(c, token);
    if (valid instanceof Response) return valid;
    try {
      prepLocalpart(username);
    } catch {
      return jsonError(400, "invalid_username", P.badUsername.text);
    }

    const { invite, step } = invites.forRegistration(valid, { checkExpiry: true });
    const result = await accounts.register({ host: valid.record.host, username, password, ip: c.get("clientIp"), via: "api", invite, step });
    if (result.ok) return c.json({ jid: `${result.username}@${result.host}` });

    const failure = classify(result.error);
    switch (failure.kind) {
      case "used":
        return invalidToken();
      case "invalid":
        return jsonError(400, failure.field === "user" ? "invalid_username" : "invalid_password", failure.problem.text);
      case "taken":
        return jsonError(409, "username_taken", failure.problem.text);
      case "refused":
        return jsonError(403, "forbidden", failure.problem.text);
      case "throttled":
        return jsonError(429, "too_many_requests", failure.problem.text, { "Retry-After": String(config.registration.throttlePeriodSeconds) });
      case "internal":
        log.error({ condition: result.error.condition }, "registration through the JSON API failed");
        return jsonError(500, "internal_error", "The account could not be created");
    }
  });

  return r;
}
