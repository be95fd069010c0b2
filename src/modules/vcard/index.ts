// XEP-0054 1.2: each account's vCard: its owner reads and writes it, other users read it.
import { defineModule } from "../../core/module.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import { decodeStoredVcard, emptyVcard, encodeStoredVcard } from "./codec.ts";

export default defineModule({
  name: "vcard",
  xeps: [{ xep: 54, version: "1.2", note: "vCards up to 64 KiB" }],
  setup(ctx) {
    const { vcards } = ctx.storage;
    return {
      iq: [
        {
          type: "get",
          ns: NS.VCARD,
          name: "vCard",
          scope: "account",
          handler: async (iq) => {
            const stored = await vcards.get(iq.to.domain, iq.to.local!);
            if (stored !== undefined) return decodeStoredVcard(stored);
            if (iq.toSelf) return emptyVcard();
            // §3.2: the same error as for an account that does not exist, so vCards cannot probe for accounts.
            throw new StanzaError("service-unavailable");
          },
        },
        {
          type: "set",
          ns: NS.VCARD,
          name: "vCard",
          scope: "account",
          handler: async (iq, vcard) => {
            if (!iq.toSelf) throw new StanzaError("forbidden", "You can only change your own vCard");
            await vcards.set(iq.to.domain, iq.to.local!, encodeStoredVcard(vcard));
          },
        },
      ],
      disco: { features: [NS.VCARD], accountFeatures: [NS.VCARD] },
    };
  },
});
