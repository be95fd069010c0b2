// RFC 7622: roster JIDs are stored prepared; this keeps their parsed form so a broadcast does not prepare them again.
import { type Jid, tryParseJid } from "../../xmpp/jid.ts";

const MAX_ENTRIES = 100_000;

export class JidMemo {
  readonly #map = new Map<string, Jid | null>();

  get(s: string): Jid | undefined {
    let j = this.#map.get(s);
    if (j === undefined) {
      if (this.#map.size >= MAX_ENTRIES) this.#map.clear();
      j = tryParseJid(s) ?? null;
      this.#map.set(s, j);
    }
    return j ?? undefined;
  }
}
