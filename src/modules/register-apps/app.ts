// The app catalogue's entries (invites.md §17.1) and what a page does with one.
import type { Platform } from "../../core/config/index.ts";

export type { Platform } from "../../core/config/index.ts";

export interface DownloadButton {
  text: string;
  /** https: or http: only (checked at config load). */
  url: string;
}

export interface App {
  /** Lower-case, URL-safe: used in setup-page paths and logo file names. */
  id: string;
  name: string;
  /** One-line description (English; built-in apps have translations keyed `app.<id>.text`). */
  text: string;
  /** Path of the logo on this server, e.g. /static/apps/conversations.svg. */
  image: string;
  /** Homepage or store page. */
  link: string;
  platforms: Platform[];
  /** Takes `xmpp:…?register;preauth=…` and `?roster;preauth=…` URIs (XEP-0401/0445). */
  supportsPreauthUri: boolean;
  /** https URL template handing the invite URI (as `{uri}`, URL-encoded) to the installer; undefined = none. */
  magicLinkFormat: string | undefined;
  /** Above the download buttons; undefined = the pages' default ("Download and install APP:"). */
  downloadText: string | undefined;
  downloads: DownloadButton[];
  /** What to do in the app after registering on the web; undefined = the pages' default. */
  setupText: string | undefined;
  /** Shipped with Hearth (its texts are translated), not from [[apps.extra]]. */
  builtin: boolean;
}

/** The store link carrying the invite, so that a fresh install opens straight into it. */
export function magicLink(app: App, inviteUri: string): string | undefined {
  if (app.magicLinkFormat === undefined) return undefined;
  return app.magicLinkFormat.replaceAll("{uri}", encodeURIComponent(inviteUri));
}

export function logoPath(id: string): string {
  return `/static/apps/${id}.svg`;
}

export const DEFAULT_LOGO = "/static/apps/default.svg";
