// The modules a default Hearth runs, in no particular order (the loader sorts by dependencies).
import type { ModuleDefinition } from "../core/module.ts";
import message from "./message/index.ts";
import offline from "./offline/index.ts";
import disco from "./disco/index.ts";
import ping from "./ping/index.ts";
import version from "./version/index.ts";
import time from "./time/index.ts";
import vcard from "./vcard/index.ts";
import privateStorage from "./private/index.ts";
import roster from "./roster/index.ts";
import presence from "./presence/index.ts";
import accounts from "./accounts/index.ts";
import groups from "./groups/index.ts";
import invites from "./invites/index.ts";
import register from "./register/index.ts";
import invitesRegister from "./invites-register/index.ts";
import adhoc from "./adhoc/index.ts";
import invitesAdhoc from "./invites-adhoc/index.ts";
import http from "./http/index.ts";
import registerApps from "./register-apps/index.ts";
import invitesWeb from "./invites-web/index.ts";
import invitesApi from "./invites-api/index.ts";
import invitesBootstrap from "./invites-bootstrap/index.ts";

export const defaultModules: ModuleDefinition[] = [
  message,
  offline,
  disco,
  ping,
  version,
  time,
  vcard,
  privateStorage,
  roster,
  presence,
  accounts,
  groups,
  invites,
  register,
  invitesRegister,
  adhoc,
  invitesAdhoc,
  http,
  registerApps,
  invitesWeb,
  invitesApi,
  invitesBootstrap,
];
