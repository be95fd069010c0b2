// XEP-0030 2.5rc3: disco#info and disco#items queries and answers.
import { type Element, x } from "../../xml/element.ts";
import type { DiscoIdentity } from "../../core/module.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";

export interface DiscoInfo {
  identities: DiscoIdentity[];
  features: string[];
  /** XEP-0128 extended information: data forms appended after the features. */
  extensions: Element[];
}

export interface DiscoItem {
  jid: string;
  node?: string;
  name?: string;
}

/** The node a request names; an absent or empty `node` attribute asks about the entity itself (""). */
export function decodeQueryNode(query: Element): string {
  return query.attrs.node ?? "";
}

export function encodeInfo(info: DiscoInfo, node: string): Element {
  const q = x("query", { xmlns: NS.DISCO_INFO, node: node === "" ? undefined : node });
  for (const i of info.identities) q.children.push(x("identity", { category: i.category, type: i.type, name: i.name }));
  for (const f of info.features) q.children.push(x("feature", { var: f }));
  for (const e of info.extensions) q.children.push(e);
  return q;
}

export function encodeItems(items: readonly DiscoItem[], node: string): Element {
  const q = x("query", { xmlns: NS.DISCO_ITEMS, node: node === "" ? undefined : node });
  for (const i of items) q.children.push(x("item", { jid: i.jid, node: i.node, name: i.name }));
  return q;
}

/** Reads a disco#info answer (for tests and for modules that query other entities). */
export function decodeInfo(query: Element): DiscoInfo {
  if (!query.is("query", NS.DISCO_INFO)) throw new StanzaError("bad-request", "Not a disco#info query");
  const info: DiscoInfo = { identities: [], features: [], extensions: [] };
  for (const c of query.elements()) {
    if ((c.ns ?? NS.DISCO_INFO) !== NS.DISCO_INFO) {
      info.extensions.push(c);
    } else if (c.name === "identity") {
      const { category, type, name } = c.attrs;
      if (category === undefined || type === undefined) throw new StanzaError("bad-request", "An identity needs a category and a type");
      info.identities.push(name === undefined ? { category, type } : { category, type, name });
    } else if (c.name === "feature") {
      const v = c.attrs.var;
      if (v === undefined) throw new StanzaError("bad-request", "A feature needs a var");
      info.features.push(v);
    }
  }
  return info;
}

/** Reads a disco#items answer. */
export function decodeItems(query: Element): DiscoItem[] {
  if (!query.is("query", NS.DISCO_ITEMS)) throw new StanzaError("bad-request", "Not a disco#items query");
  const items: DiscoItem[] = [];
  for (const c of query.elements()) {
    if (c.name !== "item" || (c.ns ?? NS.DISCO_ITEMS) !== NS.DISCO_ITEMS) continue;
    const { jid, node, name } = c.attrs;
    if (jid === undefined) throw new StanzaError("bad-request", "An item needs a jid");
    const item: DiscoItem = { jid };
    if (node !== undefined) item.node = node;
    if (name !== undefined) item.name = name;
    items.push(item);
  }
  return items;
}
