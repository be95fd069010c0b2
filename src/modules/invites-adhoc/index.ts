// XEP-0401 0.6.0: invite commands over XEP-0050 (Prosody's mod_invites_adhoc), plus listing and revoking.
import { defineModule } from "../../core/module.ts";
import type { AdhocApi } from "../adhoc/api.ts";
import type { InvitesApi } from "../invites/api.ts";
import { accountInviteCommand } from "./account.ts";
import { contactInviteCommand } from "./contact.ts";
import type { CommandDeps } from "./deps.ts";
import { listInvitesCommand, revokeInviteCommand } from "./manage.ts";
import { resetInviteCommand } from "./reset.ts";

export { ACCOUNT_NODE } from "./account.ts";
export { CONTACT_NODE } from "./contact.ts";
export { LIST_NODE, REVOKE_NODE } from "./manage.ts";
export { RESET_NODE } from "./reset.ts";
export { INVITATION_FORM_TYPE } from "./result.ts";

export default defineModule({
  name: "invites-adhoc",
  depends: ["adhoc", "invites"],
  xeps: [
    {
      xep: 401,
      version: "0.6.0",
      note: "contact and account invite commands; result forms of type result with FORM_TYPE; optional account form (username, roster-subscription, roles, groups, ttl, reusable)",
    },
  ],
  setup(ctx) {
    const adhoc = ctx.use<AdhocApi>("adhoc");
    const deps: CommandDeps = { invites: ctx.use<InvitesApi>("invites"), config: ctx.config.invites };
    const removers = [contactInviteCommand, accountInviteCommand, resetInviteCommand, listInvitesCommand, revokeInviteCommand].map((make) =>
      adhoc.register(make(deps)),
    );
    return {
      stop() {
        for (const remove of removers) remove();
      },
    };
  },
});
