// Parses one element from XML text we serialised ourselves earlier (stored stanzas, vCards, private data).
import type { Element } from "./element.ts";
import { StreamParser } from "./parser.ts";

const STREAM_OPEN = "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'";

/** Throws when `xml` is not exactly one well-formed element. `defaultNs` is the context namespace (e.g. jabber:client). */
export function parseElement(xml: string, defaultNs?: string): Element {
  let found: Element | undefined;
  let count = 0;
  let failure: Error | undefined;
  const parser = new StreamParser(
    {
      streamStart: () => undefined,
      stanza: (el) => {
        count++;
        found = el;
      },
      streamEnd: () => undefined,
      error: (e) => (failure ??= e),
    },
    // Stored data was already checked against the live limits when it arrived.
    { maxStanzaBytes: 64 * 1024 * 1024, maxDepth: 1024, maxAttrs: 4096 },
  );
  const open = defaultNs === undefined ? `${STREAM_OPEN}>` : `${STREAM_OPEN} xmlns='${defaultNs}'>`;
  parser.write(open + xml + "</stream:stream>");
  if (failure) throw new Error(`stored XML is not well-formed: ${failure.message}`);
  if (count !== 1 || !found) throw new Error(`stored XML holds ${count} elements instead of one`);
  return found;
}
