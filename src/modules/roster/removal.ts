// RFC 6121 §2.5.2: removing a contact also ends the subscriptions both ways, with the stanzas that say so.
import { x } from "../../xml/element.ts";
import type { Jid } from "../../xmpp/jid.ts";
import type { Router } from "../../core/router.ts";
import type { SessionRegistry } from "../../core/sessions.ts";
import type { RosterItem } from "../../storage/types.ts";
import { hasFrom, hasTo } from "./api.ts";

export interface RemovalDeps {
  router: Router;
  sessions: SessionRegistry;
}

/**
 * After `item` left `user`'s roster: `unsubscribe` when the user was subscribed to the contact (or asked to be),
 * `unsubscribed` when the contact was subscribed to the user (or had asked); in the latter case the contact
 * first gets unavailable presence from each of the user's available resources (§3.2.2).
 */
export async function announceRemoval(
  deps: RemovalDeps,
  user: Jid,
  contact: Jid,
  item: RosterItem | undefined,
  pendingIn: boolean,
): Promise<void> {
  if (hasTo(item) || item?.ask) await send(deps, "unsubscribe", user, contact);
  if (hasFrom(item)) {
    for (const s of deps.sessions.resources(user.bareString())) {
      if (s.presence === undefined || s.jid === undefined) continue;
      const unavailable = x("presence", { type: "unavailable", from: s.jid.toString(), to: contact.toString() });
      await deps.router.route(unavailable, s.jid, contact);
    }
  }
  if (hasFrom(item) || pendingIn) await send(deps, "unsubscribed", user, contact);
}

async function send(deps: RemovalDeps, type: string, from: Jid, to: Jid): Promise<void> {
  await deps.router.route(x("presence", { type, from: from.toString(), to: to.toString() }), from, to);
}
