// RFC 6121 §2.1.3, §2.3, §2.5 and §2.6: roster get (versioned), roster set and roster remove.
import type { IqContext, IqHandler } from "../../core/module.ts";
import type { Element } from "../../xml/element.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import type { Jid } from "../../xmpp/jid.ts";
import type { RosterItem } from "../../storage/types.ts";
import type { RosterService } from "./service.ts";
import { decodeRosterQuery, encodeRoster } from "./codec.ts";
import { validateRosterSet } from "./validate.ts";
import { announceRemoval, type RemovalDeps } from "./removal.ts";

/** A roster may not grow past this by roster sets (a guard against one account filling the database). */
export const MAX_ROSTER_ITEMS = 5000;

function owner(ctx: IqContext): Jid {
  // §2.1.5: only the account itself may read or change its roster.
  if (!ctx.toSelf || ctx.from.local === undefined) throw new StanzaError("forbidden", "Only the account itself may use its roster");
  return ctx.from.bare();
}

export function rosterGet(service: RosterService): IqHandler {
  return async (ctx, query) => {
    const user = owner(ctx);
    const { ver } = decodeRosterQuery(query);
    // Interested before the read, so no change between the read and the result goes unpushed.
    if (ctx.origin) ctx.origin.rosterRequested = true;
    const roster = await service.getRoster(user.domain, user.local!);
    const current = String(roster.version);
    // §2.6.3: an unchanged roster is an empty result; otherwise the whole roster (never a diff).
    if (ver !== undefined && ver === current) return undefined;
    return encodeRoster(roster.items, ver !== undefined ? current : undefined);
  };
}

export function rosterSet(service: RosterService, deps: RemovalDeps): IqHandler {
  return async (ctx: IqContext, query: Element) => {
    const user = owner(ctx);
    const req = validateRosterSet(decodeRosterQuery(query), user);
    const host = user.domain;
    const username = user.local!;
    const contact = req.contact.toString();

    if (req.kind === "remove") {
      let removed: RosterItem | undefined;
      await service.updateItem(host, username, contact, (cur) => {
        if (cur === undefined) throw new StanzaError("item-not-found", "No such item in the roster");
        removed = cur;
        return undefined;
      });
      const pendingIn = await service.removePendingIn(host, username, contact);
      await announceRemoval(deps, user, req.contact, removed, pendingIn);
      return undefined;
    }

    const size = (await service.getRoster(host, username)).items.length;
    await service.updateItem(host, username, contact, (cur) => {
      if (cur === undefined && size >= MAX_ROSTER_ITEMS) {
        throw new StanzaError("not-allowed", `A roster holds at most ${MAX_ROSTER_ITEMS} items`);
      }
      // §2.1.2.5 and §2.3.2: subscription, ask and approved are the server's; a set only names and groups.
      const item: RosterItem = {
        jid: contact,
        subscription: cur?.subscription ?? "none",
        ask: cur?.ask ?? false,
        approved: cur?.approved ?? false,
        groups: req.groups,
      };
      if (req.name !== undefined) item.name = req.name;
      return item;
    });
    return undefined;
  };
}
