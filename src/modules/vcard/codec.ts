// XEP-0054 1.2: vcard-temp elements as stored and as answered.
import { type Element, x } from "../../xml/element.ts";
import { parseElement } from "../../xml/parse-element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";

/** Largest vCard kept, serialised; avatars belong in XEP-0084, not here. */
export const MAX_VCARD_BYTES = 64 * 1024;

export function emptyVcard(): Element {
  return x("vCard", { xmlns: NS.VCARD });
}

/** The text to store for a `<vCard/>` a user sets; undefined for an empty one (which removes it). */
export function encodeStoredVcard(vcard: Element): string | undefined {
  if (!vcard.is("vCard", NS.VCARD)) throw new StanzaError("bad-request", "Expected <vCard xmlns='vcard-temp'/>");
  if (vcard.elements().length === 0) return undefined;
  const xml = vcard.toString();
  if (Buffer.byteLength(xml, "utf8") > MAX_VCARD_BYTES) {
    throw new StanzaError("not-acceptable", `The vCard is larger than ${MAX_VCARD_BYTES / 1024} KiB`);
  }
  return xml;
}

export function decodeStoredVcard(xml: string): Element {
  const el = parseElement(xml);
  if (!el.is("vCard", NS.VCARD)) throw new Error("stored vCard is not a vcard-temp <vCard/>");
  return el;
}
