// The registrar (XEP-0077 semantics for every registration path) and the per-IP registration limits (invites.md §15.2).
import { defineModule } from "../../core/module.ts";
import type { AccountsApi } from "./api.ts";
import { registrationLimits } from "./ip-limits.ts";
import { Registrar } from "./registrar.ts";

export type { AccountsApi, RegistrationInvite, RegistrationRequest, RegistrationResult, RegistrationStep } from "./api.ts";

export default defineModule<AccountsApi>({
  name: "accounts",
  setup(ctx) {
    const registrar = new Registrar({
      storage: ctx.storage,
      config: ctx.config,
      emit: (name, payload) => ctx.events.emit(name, payload),
      log: ctx.log,
    });
    const limits = registrationLimits(ctx.config.registration, { log: ctx.log });
    // A module's hooks table holds one handler per event; the throttle needs a second, later one.
    const offThrottle = ctx.events.on("user-registering", (e) => limits.throttle(e), -100);
    return {
      api: registrar,
      hooks: {
        // Lists before the invite checks (a blocked address learns nothing about invites), the throttle
        // after every other check so refused attempts do not use up an address's registrations.
        "user-registering": { handler: (e) => limits.lists(e), priority: 100 },
      },
      stop() {
        offThrottle();
      },
    };
  },
});
