// XEP-0092 1.1: the jabber:iq:version answer.
import { type Element, x } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";

export interface SoftwareVersion {
  name: string;
  version: string;
  os?: string;
}

export function encodeVersion(v: SoftwareVersion): Element {
  return x(
    "query",
    { xmlns: NS.VERSION },
    x("name", null, v.name),
    x("version", null, v.version),
    v.os === undefined ? undefined : x("os", null, v.os),
  );
}

export function decodeVersion(query: Element): SoftwareVersion {
  const v: SoftwareVersion = { name: query.getChildText("name", NS.VERSION) ?? "", version: query.getChildText("version", NS.VERSION) ?? "" };
  const os = query.getChildText("os", NS.VERSION);
  if (os !== undefined) v.os = os;
  return v;
}
