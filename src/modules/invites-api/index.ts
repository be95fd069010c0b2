// invites.md §12 (mod_invites_api, with [OURS] hashed, scoped, expiring keys) and a JSON invites API under /api/v1.
import { defineModule } from "../../core/module.ts";
import type { HttpApi } from "../../http/types.ts";
import type { InvitesApi } from "../invites/api.ts";
import { KeyAuth } from "./auth.ts";
import { compatHandler } from "./compat.ts";
import { apiRoutes } from "./routes.ts";

export { createApiKey, API_KEY_KINDS, parseCredential } from "./keys.ts";

export default defineModule({
  name: "invites-api",
  depends: ["http", "invites"],
  setup(ctx) {
    const http = ctx.use<HttpApi>("http");
    const invites = ctx.use<InvitesApi>("invites");
    const auth = new KeyAuth({ store: ctx.storage.apiKeys, log: ctx.log, failures: ctx.config.invites.tokenFailures });
    const deps = { config: ctx.config, invites, auth };
    http.app.route("/api/v1", apiRoutes(deps));
    http.app.get("/invites_api", compatHandler(deps));
    return {};
  },
});
