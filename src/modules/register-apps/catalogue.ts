// invites.md §17.2: the built-in apps, [[apps.extra]] replacing or adding by id, then [apps] show and hide.
import type { AppEntryConfig, AppsConfig } from "../../core/config/index.ts";
import { DEFAULT_LOGO, type App } from "./app.ts";
import { BUILTIN_APPS } from "./builtin.ts";

function fromConfig(e: AppEntryConfig, replaced: App | undefined): App {
  return {
    id: e.id,
    name: e.name,
    text: e.text,
    image: e.image || replaced?.image || DEFAULT_LOGO,
    link: e.link,
    platforms: [...e.platforms],
    supportsPreauthUri: e.supportsPreauthUri,
    magicLinkFormat: e.magicLinkFormat || undefined,
    downloadText: e.downloadText || undefined,
    downloads: e.downloads.map((d) => ({ ...d })),
    setupText: e.setupText || undefined,
    builtin: false,
  };
}

export interface Catalogue {
  apps: App[];
  /** Ids in show or hide that name no app (worth a warning, not a refusal to start). */
  unknownIds: string[];
}

export function buildCatalogue(cfg: AppsConfig, builtins: readonly App[] = BUILTIN_APPS): Catalogue {
  const byId = new Map<string, App>(builtins.map((a) => [a.id, a]));
  for (const e of cfg.extra) byId.set(e.id, fromConfig(e, byId.get(e.id)));
  const all = [...byId.values()];
  const unknownIds = [...cfg.show, ...cfg.hide].filter((id) => !byId.has(id));
  const shown = cfg.show.length > 0 ? all.filter((a) => cfg.show.includes(a.id)) : all;
  return { apps: shown.filter((a) => !cfg.hide.includes(a.id)), unknownIds: [...new Set(unknownIds)] };
}
