// The kysely implementations of every store, bound to one Kysely instance or transaction.
import type { Stores } from "../types.ts";
import type { Db } from "./common.ts";
import { KyselyAccountStore } from "./accounts.ts";
import { KyselyRosterStore } from "./rosters.ts";
import { KyselyOfflineStore } from "./offline.ts";
import { KyselyVcardStore } from "./vcards.ts";
import { KyselyPrivateStore } from "./private.ts";
import { KyselyInviteStore } from "./invites.ts";
import { KyselyGroupStore } from "./groups.ts";
import { KyselyInviteTrackingStore } from "./invite-tracking.ts";
import { KyselyApiKeyStore } from "./api-keys.ts";

export function kyselyStores(db: Db): Stores {
  return {
    accounts: new KyselyAccountStore(db),
    rosters: new KyselyRosterStore(db),
    offline: new KyselyOfflineStore(db),
    vcards: new KyselyVcardStore(db),
    privateData: new KyselyPrivateStore(db),
    invites: new KyselyInviteStore(db),
    groups: new KyselyGroupStore(db),
    inviteTracking: new KyselyInviteTrackingStore(db),
    apiKeys: new KyselyApiKeyStore(db),
  };
}
