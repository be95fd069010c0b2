// RFC 6121 (March 2011) §8.5.2 and §8.5.3: delivery of messages addressed to local bare and full JIDs.
import { defineModule, type ModuleContext } from "../../core/module.ts";
import type { StanzaEvent } from "../../core/events.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import { messageType } from "../../xmpp/message-type.ts";
import { deliverToBare } from "./delivery.ts";

/**
 * Returns true when the message was delivered or dealt with (bounced, dropped); false when no resource could
 * take it, so the router fires "message/undeliverable" and offline storage (or a bounce) decides.
 * No storage access: whatever a connected session can take is settled from the session registry alone.
 */
function messageHandlers(ctx: ModuleContext) {
  const { sessions, router } = ctx;

  const serviceUnavailable = (ev: StanzaEvent): true => {
    router.bounce(ev.stanza, ev.from, new StanzaError("service-unavailable"), ev.origin, ev.to);
    return true;
  };

  const toBare = (ev: StanzaEvent): boolean => {
    switch (messageType(ev.stanza)) {
      case "error":
        return true; // §8.5.2.1.1 and §8.5.2.2.1: silently ignored, whether or not a resource is online
      case "groupchat":
        return serviceUnavailable(ev); // §8.5.2.1.1 and §8.5.2.2.1
      case "headline":
        return deliverToBare(sessions, ev.to.bareString(), ev.stanza, "all") > 0;
      default:
        return deliverToBare(sessions, ev.to.bareString(), ev.stanza, "most-available") > 0;
    }
  };

  const toFull = (ev: StanzaEvent): boolean => {
    // §8.5.3.1: a connected resource gets what is addressed to it, available or not, whatever its priority.
    const session = sessions.get(ev.to);
    if (session !== undefined) {
      session.send(ev.stanza);
      return true;
    }
    // §8.5.3.2.1: no such resource; error is ignored, groupchat bounced, the rest handled as if sent to the bare JID.
    return toBare(ev);
  };

  return { toBare, toFull };
}

export default defineModule({
  name: "message",
  xeps: [{ xep: "RFC 6121", version: "March 2011", note: "§8.5 message delivery to local bare and full JIDs" }],
  setup(ctx) {
    const { toBare, toFull } = messageHandlers(ctx);
    return {
      hooks: {
        "in/message/bare": toBare,
        "in/message/full": toFull,
      },
    };
  },
});
