// XEP-0199 2.0.1: answers pings to the domain and to the sender's own account.
import { defineModule } from "../../core/module.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";

export default defineModule({
  name: "ping",
  xeps: [{ xep: 199, version: "2.0.1", note: "the server answers; it does not ping clients" }],
  setup() {
    return {
      iq: [
        { type: "get", ns: NS.PING, name: "ping", scope: "host", handler: () => undefined },
        {
          type: "get",
          ns: NS.PING,
          name: "ping",
          scope: "account",
          // Answering for other accounts would tell anyone which accounts exist.
          handler: (iq) => {
            if (!iq.toSelf) throw new StanzaError("service-unavailable");
          },
        },
      ],
      disco: { features: [NS.PING] },
    };
  },
});
