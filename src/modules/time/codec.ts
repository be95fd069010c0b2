// XEP-0202 2.0: the urn:xmpp:time answer, in UTC (XEP-0082 DateTime).
import { type Element, x } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";

export interface EntityTime {
  /** XEP-0082 time zone offset; the server always says "Z". */
  tzo: string;
  /** XEP-0082 DateTime in UTC. */
  utc: string;
}

export function entityTime(unixMs: number): EntityTime {
  return { tzo: "Z", utc: new Date(unixMs).toISOString() };
}

export function encodeTime(t: EntityTime): Element {
  return x("time", { xmlns: NS.TIME }, x("tzo", null, t.tzo), x("utc", null, t.utc));
}

export function decodeTime(el: Element): EntityTime | undefined {
  const tzo = el.getChildText("tzo", NS.TIME);
  const utc = el.getChildText("utc", NS.TIME);
  return tzo === undefined || utc === undefined ? undefined : { tzo, utc };
}
