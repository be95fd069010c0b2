// Structural XML matching for conversation tests: the expected stanza reads like the RFC example.
//  - attributes named in the pattern must be equal ('*' = present with any value); others are ignored;
//  - element children must match one by one, in order; a trailing <etc/> allows more;
//  - text in the pattern must equal the trimmed text ('*' = any).
import { Element } from "../../src/xml/element.ts";
import { StreamParser } from "../../src/xml/parser.ts";

export function parseXml(xml: string, defaultNs = "jabber:client"): Element[] {
  const out: Element[] = [];
  let failure: Error | undefined;
  const p = new StreamParser(
    {
      streamStart: () => undefined,
      stanza: (el) => out.push(el),
      streamEnd: () => undefined,
      error: (e) => (failure = e),
    },
    { maxStanzaBytes: 1 << 24 },
  );
  p.write(`<stream:stream xmlns='${defaultNs}' xmlns:stream='http://etherx.jabber.org/streams'>${xml}`);
  if (failure) throw new Error(`bad XML in test pattern: ${failure.message}\n${xml}`);
  return out;
}

export function parseOne(xml: string): Element {
  const els = parseXml(xml);
  if (els.length !== 1) throw new Error(`expected one element in pattern, got ${els.length}: ${xml}`);
  return els[0]!;
}

/** Returns undefined on a match, else where it differs. */
export function mismatch(expected: Element, actual: Element, path = ""): string | undefined {
  const here = `${path}/${expected.name}`;
  if (expected.name !== actual.name) return `${here}: element <${actual.name}> instead of <${expected.name}>`;
  if (expected.ns !== actual.ns) return `${here}: namespace '${actual.ns}' instead of '${expected.ns}'`;
  for (const [k, v] of Object.entries(expected.attrs)) {
    const got = actual.attrs[k];
    if (got === undefined) return `${here}: missing attribute ${k}`;
    if (v !== "*" && got !== v) return `${here}: ${k}='${got}' instead of '${v}'`;
  }
  const want = expected.elements();
  const got = actual.elements();
  const open = want.length > 0 && want[want.length - 1]!.name === "etc";
  const wantFixed = open ? want.slice(0, -1) : want;
  if (open ? got.length < wantFixed.length : got.length !== wantFixed.length) {
    return `${here}: ${got.length} child elements (${got.map((g) => g.name).join(", ")}) instead of ${wantFixed.length}${open ? "+" : ""}`;
  }
  for (let i = 0; i < wantFixed.length; i++) {
    const m = mismatch(wantFixed[i]!, got[i]!, here);
    if (m) return m;
  }
  const wantText = expected.text().trim();
  if (wantText !== "" && wantText !== "*" && actual.text().trim() !== wantText) {
    return `${here}: text '${actual.text().trim()}' instead of '${wantText}'`;
  }
  return undefined;
}
