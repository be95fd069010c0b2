// The app catalogue's public API, used by the invite pages and web registration.
import type { App } from "./app.ts";

export type { App, DownloadButton, Platform } from "./app.ts";

export interface RegisterAppsApi {
  /** The apps to offer, in catalogue order, after [apps] show and hide. */
  list(): readonly App[];
  /** One of those apps; undefined for an unknown or hidden id. */
  get(id: string): App | undefined;
}
