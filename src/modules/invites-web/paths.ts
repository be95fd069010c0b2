// Where the invite pages live, and where each app's button on them leads (invites.md §10.4).
import { magicLink, type App } from "../register-apps/app.ts";
import type { Wording } from "./wording.ts";

const enc = encodeURIComponent;

/** The canonical landing page path (Snikket style). */
export function invitePath(token: string): string {
  return `/invite/${enc(token)}/`;
}

export function setupPath(token: string, appId: string): string {
  return `${invitePath(token)}setup/${enc(appId)}`;
}

/** Web registration (and, for reset invites, the new-password form). */
export function registerPath(token: string, appId?: string): string {
  return `/register?t=${enc(token)}${appId === undefined ? "" : `&c=${enc(appId)}`}`;
}

export interface AppAction {
  kind: "magic" | "setup" | "register" | "website";
  href: string;
}

/**
 * 1. a magic link (the store, carrying the invite URI); 2. for apps that take invite URIs, the setup page;
 * 3. web registration then app setup. Contact-only invites register nothing here: such apps get their website.
 */
export function appAction(app: App, wording: Wording, token: string, inviteUri: string): AppAction {
  const magic = magicLink(app, inviteUri);
  if (magic !== undefined) return { kind: "magic", href: magic };
  if (app.supportsPreauthUri) return { kind: "setup", href: setupPath(token, app.id) };
  if (wording === "contact-only") return { kind: "website", href: app.link };
  return { kind: "register", href: registerPath(token, app.id) };
}
