// RFC 6120 §4.7: the response stream header and the features element.
import { escapeAttr, type Element } from "../xml/element.ts";
import { NS } from "../xmpp/namespaces.ts";

export function streamHeader(opts: { id: string; from: string; to?: string; lang: string }): string {
  let s = `<?xml version='1.0'?><stream:stream xmlns='${NS.CLIENT}' xmlns:stream='${NS.STREAM}' id='${opts.id}'`;
  s += ` from='${escapeAttr(opts.from)}'`;
  if (opts.to) s += ` to='${escapeAttr(opts.to)}'`;
  return s + ` version='1.0' xml:lang='${escapeAttr(opts.lang)}'>`;
}

/** A header sent only to carry a stream error when the client's header was unusable. */
export function bareStreamHeader(id: string): string {
  return `<?xml version='1.0'?><stream:stream xmlns='${NS.CLIENT}' xmlns:stream='${NS.STREAM}' id='${id}' version='1.0'>`;
}

export function featuresXml(features: Element[]): string {
  return "<stream:features>" + features.map((f) => f.toString(NS.CLIENT)).join("") + "</stream:features>";
}
