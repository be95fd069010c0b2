// invites.md §10.1: the landing page at /invite/TOKEN/ (Snikket) and /invite?TOKEN (Prosody), and the
// per-app setup page at /invite/TOKEN/setup/APP (and /invite/setup/APP?TOKEN). Mounted at /invite.
import { Hono, type Context } from "hono";
import { createElement } from "hono/jsx";
import type { Config } from "../../core/config/index.ts";
import type { Logger } from "../../core/logger.ts";
import { messagePage, renderPage, siteName } from "../../http/render.tsx";
import { noStore } from "../../http/security-headers.ts";
import type { HttpEnv } from "../../http/types.ts";
import type { InvitesApi, ValidInvite } from "../invites/api.ts";
import type { RegisterAppsApi } from "../register-apps/api.ts";
import { invalidInvitePage } from "./invalid-page.tsx";
import { LandingBody } from "./landing-page.tsx";
import { inviteLookup } from "./lookup.ts";
import { invitePath } from "./paths.ts";
import { qrSvg } from "./qr.ts";
import { SetupBody, setupTitle } from "./setup-page.tsx";
import { headings, wordingOf, type InviteFacts } from "./wording.ts";
import "./messages.ts";

export interface InviteRoutesDeps {
  config: Config;
  log: Logger;
  invites: InvitesApi;
  apps: RegisterAppsApi;
}

type C = Context<HttpEnv>;

/** Prosody's form: the whole query string is the token. */
function queryToken(c: C): string {
  const url = c.req.url;
  const q = url.indexOf("?");
  if (q < 0) return "";
  try {
    return decodeURIComponent(url.slice(q + 1));
  } catch {
    return url.slice(q + 1);
  }
}

function facts(config: Config, valid: ValidInvite): InviteFacts {
  const { record } = valid;
  return {
    site: siteName(config, record.host),
    host: record.host,
    inviter: record.type === "roster" && record.inviter !== undefined ? `${record.inviter}@${record.host}` : "",
    jid: record.resetUsername !== undefined ? `${record.resetUsername}@${record.host}` : "",
  };
}

export function inviteRoutes(deps: InviteRoutesDeps): Hono<HttpEnv> {
  const { config, invites, apps } = deps;
  const lookup = inviteLookup(invites, config, deps.log);
  const r = new Hono<HttpEnv>();
  // Every answer here is about a token (or carries one): never kept by a cache.
  r.use("*", noStore());

  /** The invite behind the token, or the response to send instead (429 when blocked, else the one invalid page). */
  const resolve = async (c: C, token: string): Promise<ValidInvite | Response> => {
    if (token === "") return invalidInvitePage(c, config);
    const found = await lookup(c.get("clientIp"), c.get("host"), token);
    if (found.status === "blocked") {
      const res = await messagePage(c, config, "tooMany", 429);
      res.headers.set("Retry-After", String(config.invites.tokenFailures.windowSeconds));
      return res;
    }
    if (found.status === "invalid") return invalidInvitePage(c, config);
    // The page speaks for the invite's host (with one public_url, the request may have named another).
    c.set("host", found.valid.record.host);
    return found.valid;
  };

  const alternate = (c: C, uri: string) => {
    c.header("Link", `<${uri}>; rel="alternate"`);
    return createElement("link", { rel: "alternate", href: uri });
  };

  const landing = async (c: C, token: string) => {
    const valid = await resolve(c, token);
    if (valid instanceof Response) return valid;
    const t = c.get("t");
    const wording = wordingOf(valid);
    const f = facts(config, valid);
    const uri = invites.uriFor(valid.record, token);
    const qr = await qrSvg(`${c.get("origin")}${invitePath(token)}`, t("invite.qr.label"));
    return renderPage(c, config, {
      title: headings(t, wording, f).title,
      head: alternate(c, uri),
      body: LandingBody({ t, wording, facts: f, token, uri, apps: apps.list(), qr }),
    });
  };

  const setup = async (c: C, token: string, appId: string) => {
    // The app first: an unknown app is a plain 404 that says nothing about the token.
    const app = apps.get(appId);
    if (app === undefined) return messagePage(c, config, "notFound", 404);
    const valid = await resolve(c, token);
    if (valid instanceof Response) return valid;
    const t = c.get("t");
    const wording = wordingOf(valid);
    const f = facts(config, valid);
    const uri = invites.uriFor(valid.record, token);
    return renderPage(c, config, {
      title: setupTitle(t, wording, f, app),
      head: alternate(c, uri),
      body: SetupBody({ t, wording, facts: f, token, uri, app }),
    });
  };

  r.get("/", (c) => landing(c, queryToken(c)));
  r.get("/setup/:app", (c) => setup(c, queryToken(c), c.req.param("app")));
  r.get("/:token", (c) => landing(c, c.req.param("token")));
  r.get("/:token/", (c) => landing(c, c.req.param("token")));
  r.get("/:token/setup/:app", (c) => setup(c, c.req.param("token"), c.req.param("app")));
  return r;
}
