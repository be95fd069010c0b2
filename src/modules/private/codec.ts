// XEP-0049 1.2: the jabber:iq:private query and the keys its fragments are stored under.
import { type Element, x } from "../../xml/element.ts";
import { parseElement } from "../../xml/parse-element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";

/** Namespaces a fragment may not be stored in (XEP-0049 §2.3 lets a server refuse reserved ones). */
const RESERVED = new Set<string>([NS.CLIENT, NS.SERVER, NS.PRIVATE]);

/**
 * The one fragment a query carries. None → not-acceptable (XEP-0049 §2.3); more than one → bad-request
 * (XEP-0049 allows several in a set, but, like Prosody, we take one per request); reserved or no
 * namespace → not-acceptable.
 */
export function decodePrivateQuery(query: Element): Element {
  const children = query.elements();
  if (children.length === 0) throw new StanzaError("not-acceptable", "The query must contain an element to store or fetch");
  if (children.length > 1) throw new StanzaError("bad-request", "Exactly one element per request");
  const fragment = children[0]!;
  const ns = fragment.ns ?? query.ns;
  if (!ns || RESERVED.has(ns)) {
    throw new StanzaError("not-acceptable", "Private data needs an element in a namespace of its own");
  }
  return fragment;
}

/** `{namespace}localname`: what identifies a stored fragment. */
export function privateKey(fragment: Element): string {
  return `{${fragment.ns ?? ""}}${fragment.name}`;
}

/** The text to store; undefined for an empty element, which removes the data. */
export function encodeStoredFragment(fragment: Element): string | undefined {
  if (fragment.children.length === 0 && Object.keys(fragment.attrs).length === 0) return undefined;
  return fragment.toString();
}

export function decodeStoredFragment(xml: string): Element {
  return parseElement(xml);
}

export function encodePrivateResult(fragment: Element): Element {
  return x("query", { xmlns: NS.PRIVATE }, fragment);
}
