// XEP-0445 0.2.0 / XEP-0401 0.3.0 pre-authenticated registration and XEP-0379 0.3.3 pre-approved subscriptions
// (spec invites.md §7.1, §7.2, §8, §15.1).
import { defineModule } from "../../core/module.ts";
import type { Session } from "../../core/session.ts";
import { x } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import type { InvitesApi } from "../invites/api.ts";
import { tokenThrottleFor } from "../invites/token-throttle.ts";
import type { RegisterApi } from "../register/api.ts";
import type { RosterApi } from "../roster/api.ts";
import { heldInvite, preauthGet, preauthSet } from "./preauth.ts";
import { preauthSubscription } from "./subscription.ts";

export { heldInvite, INVALID_TOKEN, TOO_MANY_FAILURES } from "./preauth.ts";

/** Above the presence module's inbound handlers (priority 0): the token is dealt with before anything else. */
const BEFORE_PRESENCE = 50;

export default defineModule({
  name: "invites-register",
  depends: ["invites", "register", "accounts", "roster"],
  xeps: [
    { xep: 445, version: "0.2.0", note: "token checked at `<preauth/>`, consumed atomically with the account" },
    { xep: 401, version: "0.3.0", note: "the `urn:xmpp:invite` stream feature; same `<preauth/>` as XEP-0445" },
    { xep: 379, version: "0.3.3", note: "server-side approval, then the contact subscribes back" },
  ],
  setup(ctx) {
    const invites = ctx.use<InvitesApi>("invites");
    const register = ctx.use<RegisterApi>("register");
    const roster = ctx.use<RosterApi>("roster");
    const throttle = tokenThrottleFor(ctx.config);

    const removeProvider = register.addInviteProvider((session) => {
      const valid = heldInvite(session);
      return valid ? invites.forRegistration(valid, { checkExpiry: false }) : undefined;
    });
    const subscribe = preauthSubscription({ ctx, invites, roster, throttle });
    const feature = (ns: string) => ({
      stage: "pre-auth" as const,
      element: (session: Session) => (register.offered(session) ? x("register", { xmlns: ns }) : undefined),
    });

    return {
      preAuthIq: [
        { type: "set", ns: NS.PARS, name: "preauth", handler: preauthSet({ ctx, invites, register, throttle }) },
        { type: "get", ns: NS.PARS, name: "preauth", handler: preauthGet },
      ],
      streamFeatures: [feature(NS.INVITE_LEGACY), feature(NS.IBR_TOKEN)],
      hooks: {
        "in/presence/bare": { priority: BEFORE_PRESENCE, handler: subscribe },
        "in/presence/full": { priority: BEFORE_PRESENCE, handler: subscribe },
      },
      stop: removeProvider,
    };
  },
});
