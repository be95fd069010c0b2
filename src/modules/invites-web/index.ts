// invites.md §10 (mod_invites_page): the invite landing and setup pages on the shared web server, and the
// default landing URL <public base URL>/invite/<token>/ for invites when no page_url is configured.
import { defineModule } from "../../core/module.ts";
import type { HttpApi } from "../../http/types.ts";
import type { AccountsApi } from "../accounts/api.ts";
import type { InvitesApi } from "../invites/api.ts";
import { setLandingBase } from "../invites/landing.ts";
import type { RegisterAppsApi } from "../register-apps/api.ts";
import { mountRegistration } from "./register.ts";
import { inviteRoutes } from "./routes.ts";

export default defineModule({
  name: "invites-web",
  depends: ["http", "invites", "register-apps", "accounts"],
  setup(ctx) {
    const http = ctx.use<HttpApi>("http");
    const invites = ctx.use<InvitesApi>("invites");
    const apps = ctx.use<RegisterAppsApi>("register-apps");
    http.app.route("/invite", inviteRoutes({ config: ctx.config, log: ctx.log, invites, apps }));
    mountRegistration(http.app, { config: ctx.config, log: ctx.log, invites, apps, accounts: ctx.use<AccountsApi>("accounts") });
    // The running server knows its bound ports; the configuration alone (the CLI's view) may say port 0.
    if (ctx.config.http.enabled) setLandingBase(ctx.config, (host) => http.publicBaseUrl(host));
    return {
      stop() {
        setLandingBase(ctx.config, undefined);
      },
    };
  },
});
