// Landing-page URLs for invites (invites.md §5): the configured page_url with {host} and {token} filled in,
// else Hearth's own page at <public base URL>/invite/<token>/ whenever the web server is enabled.
import type { Config } from "../../core/config/index.ts";
import { configuredBaseUrl } from "../../http/public-url.ts";

/** The page for this invite, or undefined when no page_url is configured. Values are URL-encoded. */
export function landingPage(template: string, host: string, token: string): string | undefined {
  if (template === "") return undefined;
  return template.replace(/\{(host|token)\}/g, (_, key: string) => encodeURIComponent(key === "host" ? host : token));
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
export function landingPageUrl(config: Config, host: string, token: string): string | undefined {
  if (config.invites.pageUrl !== "") return landingPage(config.invites.pageUrl, host, token);
  if (!config.http.enabled) return undefined;
  const base = runningBase.get(config)?.(host) ?? configuredBaseUrl(config.http, host);
  if (base === undefined) return undefined;
  return `${base}/invite/${encodeURIComponent(token)}/`;
}
