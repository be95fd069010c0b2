// XEP-0160 1.0.1 (what is worth storing), XEP-0334 0.3.0 (store hints) and XEP-0203 2.0 (the delay stamp).
import { type Element, x } from "../../xml/element.ts";
import { parseElement } from "../../xml/parse-element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { messageType } from "../../xmpp/message-type.ts";

const HINTS = "urn:xmpp:hints";
const CHAT_STATES = "http://jabber.org/protocol/chatstates";
const STANZA_IDS = "urn:xmpp:sid:0";

/** Children that carry nothing a user would miss: chat states (XEP-0085), hints, ids, a bare thread. */
function isContent(child: Element): boolean {
  if (child.ns === CHAT_STATES || child.ns === HINTS || child.ns === STANZA_IDS) return false;
  if (child.name === "thread" && (child.ns ?? NS.CLIENT) === NS.CLIENT) return false;
  return true;
}

/**
 * XEP-0160 §3: normal and chat are stored, except messages with nothing but chat states (and other
 * non-content); groupchat, headline and error are not. XEP-0334: `<no-store/>` forbids storing,
 * `<store/>` asks for it (honoured for headline and content-less messages, never for groupchat or error).
 */
export function shouldStore(stanza: Element): boolean {
  const type = messageType(stanza);
  if (type === "error" || type === "groupchat") return false;
  let content = false;
  let storeHint = false;
  for (const c of stanza.children) {
    if (typeof c === "string") continue;
    if (c.ns === HINTS) {
      if (c.name === "no-store") return false;
      if (c.name === "store") storeHint = true;
    } else if (!content && isContent(c)) {
      content = true;
    }
  }
  if (storeHint) return true;
  return type !== "headline" && content;
}

/** XEP-0082 DateTime with milliseconds, always UTC. */
export function stampString(unixMs: number): string {
  return new Date(unixMs).toISOString();
}

/** XEP-0203 §3: `<delay xmlns='urn:xmpp:delay' from='host' stamp='…'>Offline Storage</delay>`. */
export function delayElement(from: string, unixMs: number): Element {
  return x("delay", { xmlns: NS.DELAY, from, stamp: stampString(unixMs) }, "Offline Storage");
}

/** A stored message as it is kept: the stanza serialised in the jabber:client context. */
export function encodeStored(stanza: Element): string {
  return stanza.toString(NS.CLIENT);
}

/** Reads a stored message back and appends the delay stamp; throws when the stored text is broken. */
export function decodeStored(xml: string, host: string, unixMs: number): Element {
  const el = parseElement(xml, NS.CLIENT);
  if (el.name !== "message") throw new Error(`stored offline stanza is a <${el.name}/>`);
  el.children.push(delayElement(host, unixMs));
  return el;
}
