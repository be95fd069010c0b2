// RFC 6121 §2.1: the jabber:iq:roster query and item, decoded for handlers and encoded for results and pushes.
import { Element, x } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import type { RosterItem } from "../../storage/types.ts";
import type { PushedItem } from "./api.ts";

/** An `<item/>` as the client sent it: nothing checked yet beyond its shape. */
export interface ItemRequest {
  jid: string | undefined;
  name: string | undefined;
  /** Only "remove" means anything in a set (RFC 6121 §2.1.2.5); other values are ignored. */
  subscription: string | undefined;
  groups: string[];
}

export interface RosterRequest {
  /** RFC 6121 §2.6: the version the client has cached ("" = versioning wanted, nothing cached). */
  ver: string | undefined;
  items: ItemRequest[];
}

export function decodeRosterQuery(query: Element): RosterRequest {
  const items: ItemRequest[] = [];
  for (const child of query.elements()) {
    if (child.name !== "item" || child.ns !== NS.ROSTER) continue;
    items.push({
      jid: child.attrs.jid,
      name: child.attrs.name,
      subscription: child.attrs.subscription,
      groups: child.getChildren("group", NS.ROSTER).map((g) => g.text()),
    });
  }
  return { ver: query.attrs.ver, items };
}

export function encodeItem(item: PushedItem): Element {
  if (item.subscription === "remove") return x("item", { jid: item.jid, subscription: "remove" });
  const full = item as RosterItem;
  return x(
    "item",
    {
      jid: full.jid,
      name: full.name,
      subscription: full.subscription,
      ask: full.ask ? "subscribe" : undefined,
      approved: full.approved ? "true" : undefined,
    },
    full.groups.map((g) => x("group", null, g)),
  );
}

export function encodeRoster(items: readonly RosterItem[], ver: string | undefined): Element {
  return x("query", { xmlns: NS.ROSTER, ver }, items.map(encodeItem));
}

/** The `<query/>` of a roster push; one instance may be shared by the pushes to several resources. */
export function encodePushQuery(item: PushedItem, version: number): Element {
  return x("query", { xmlns: NS.ROSTER, ver: String(version) }, encodeItem(item));
}

export function encodePush(query: Element, to: string, id: string): Element {
  return x("iq", { type: "set", id, to }, query);
}
