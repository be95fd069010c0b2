// XEP-0049 1.2: private XML storage, readable and writable by the account's owner only.
import { defineModule } from "../../core/module.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import type { IqContext } from "../../core/module.ts";
import {
  decodePrivateQuery,
  decodeStoredFragment,
  encodePrivateResult,
  encodeStoredFragment,
  privateKey,
} from "./codec.ts";

function ownOnly(iq: IqContext): void {
  // XEP-0049 §2.3 prefers forbidden to service-unavailable for another user's data.
  if (!iq.toSelf) throw new StanzaError("forbidden", "Private data belongs to its owner only");
}

export default defineModule({
  name: "private",
  xeps: [{ xep: 49, version: "1.2", note: "one element per request" }],
  setup(ctx) {
    const store = ctx.storage.privateData;
    return {
      iq: [
        {
          type: "get",
          ns: NS.PRIVATE,
          name: "query",
          scope: "account",
          handler: async (iq, query) => {
            ownOnly(iq);
            const asked = decodePrivateQuery(query);
            const stored = await store.get(iq.to.domain, iq.to.local!, privateKey(asked));
            // Nothing stored: the requested element comes back as asked (empty).
            return encodePrivateResult(stored === undefined ? asked : decodeStoredFragment(stored));
          },
        },
        {
          type: "set",
          ns: NS.PRIVATE,
          name: "query",
          scope: "account",
          handler: async (iq, query) => {
            ownOnly(iq);
            const fragment = decodePrivateQuery(query);
            await store.set(iq.to.domain, iq.to.local!, privateKey(fragment), encodeStoredFragment(fragment));
          },
        },
      ],
      disco: { accountFeatures: [NS.PRIVATE] },
    };
  },
});
