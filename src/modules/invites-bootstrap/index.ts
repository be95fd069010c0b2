// invites.md §13.4 (Snikket's mod_invites_bootstrap): an admin invite behind a secret URL, for automated deployments.
import { defineModule } from "../../core/module.ts";
import { ensureServerSecret } from "../../core/server-secret.ts";
import { noStore } from "../../http/security-headers.ts";
import type { HttpApi } from "../../http/types.ts";
import type { InvitesApi } from "../invites/api.ts";
import { BootstrapRecord } from "./record.ts";
import { bootstrapHandler } from "./route.ts";

export { bootstrapToken } from "./secrets.ts";

export default defineModule({
  name: "invites-bootstrap",
  depends: ["http", "invites"],
  setup(ctx) {
    const { config } = ctx;
    if (config.invites.bootstrap.secret === "") return {};
    const http = ctx.use<HttpApi>("http");
    const handler = bootstrapHandler({
      config,
      storage: ctx.storage,
      invites: ctx.use<InvitesApi>("invites"),
      log: ctx.log,
      record: new BootstrapRecord(config.dataDir),
      serverSecret: ensureServerSecret(config.dataDir),
    });
    http.app.get("/bootstrap", noStore(), handler);
    return {};
  },
});
