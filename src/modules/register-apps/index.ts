// invites.md §17 (mod_register_apps): the chat apps the invite pages and web registration offer.
import { defineModule } from "../../core/module.ts";
import type { RegisterAppsApi } from "./api.ts";
import { buildCatalogue } from "./catalogue.ts";
import "./messages.ts";

export type { RegisterAppsApi } from "./api.ts";

export default defineModule<RegisterAppsApi>({
  name: "register-apps",
  setup(ctx) {
    const { apps, unknownIds } = buildCatalogue(ctx.config.apps);
    if (unknownIds.length > 0) ctx.log.warn({ ids: unknownIds }, "[apps] show/hide name apps that do not exist");
    const byId = new Map(apps.map((a) => [a.id, a]));
    return {
      api: {
        list: () => apps,
        get: (id) => byId.get(id),
      },
    };
  },
});
