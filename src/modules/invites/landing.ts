// Landing-page URLs for invites (invites.md §5): the configured page_url template filled in, else Hearth's
// own page at <public base URL>/invite/<token>/ whenever the web server is enabled; only for the kinds
// listed in invites.page_supports.
import type { Config } from "../../core/config/index.ts";
import { configuredBaseUrl } from "../../http/public-url.ts";
import type { InviteKind } from "./api.ts";

/** What a template may use besides the host and the token. */
export interface InviteFacts {
  kind: InviteKind;
  /** The invite's xmpp: URI. */
  uri: string;
}

const PLACEHOLDER = /\{(host|token|invite\.token|invite\.uri|uri)(?:\|(noscheme|urlescape))?\}/g;

/**
 * Fills a page_url template: {host}, {token} (also {invite.token}) and {invite.uri}, URL-encoded; the
 * `|noscheme` filter strips the `xmpp:` scheme and leaves the rest as it is, for pages that read the invite
 * from the URL's fragment (`https://xmpp.link/#{invite.uri|noscheme}`), so the token never reaches a server.
 */
export function landingPage(template: string, host: string, token: string, uri?: string): string | undefined {
  if (template === "") return undefined;
  return template.replace(PLACEHOLDER, (_, name: string, filter: string | undefined) => {
    const value = name === "host" ? host : name.endsWith("uri") ? (uri ?? "") : token;
    if (filter === "noscheme") return value.replace(/^[a-z][a-z0-9+.-]*:/i, "");
    return encodeURIComponent(value);
  });
}

/** invites.md §5.3: "contact" is accepted for "contact-only" (Prosody's default set spells it so). */
export function pageSupports(supported: readonly string[], kind: InviteKind): boolean {
  return supported.includes(kind) || (kind === "contact-only" && supported.includes("contact"));
}

/** Base URLs known only to a running server (its bound ports), registered by the module serving the pages. */
const runningBase = new WeakMap<Config, (host: string) => string>();

/** Called by the invite pages' module at start (and with undefined at stop). */
export function setLandingBase(config: Config, base: ((host: string) => string) | undefined): void {
  if (base === undefined) runningBase.delete(config);
  else runningBase.set(config, base);
}

/**
 * The landing page of an invite: page_url when set; otherwise, with [http] enabled, Hearth's own page
 * (the running server's address when there is one, else the one the configuration gives — the CLI's case;
 * none when that says port 0, which only a running server can resolve).
 */
export function landingPageUrl(config: Config, host: string, token: string, facts?: InviteFacts): string | undefined {
  if (facts !== undefined && !pageSupports(config.invites.pageSupports, facts.kind)) return undefined;
  if (config.invites.pageUrl !== "") return landingPage(config.invites.pageUrl, host, token, facts?.uri);
  if (!config.http.enabled) return undefined;
  const base = runningBase.get(config)?.(host) ?? configuredBaseUrl(config.http, host);
  if (base === undefined) return undefined;
  return `${base}/invite/${encodeURIComponent(token)}/`;
}
