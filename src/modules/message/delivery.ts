// RFC 6121 §8.5.2.1: which of an account's resources get a message addressed to the bare JID.
import type { Element } from "../../xml/element.ts";

/** What delivery needs of a session; the c2s session satisfies it. */
export interface Recipient {
  readonly presence: unknown;
  readonly priority: number;
  send(stanza: Element): void;
}

/** Where the resources of an account are found; SessionRegistry is one. Each call gives a fresh iterator. */
export interface RecipientSource {
  resources(bare: string): Iterable<Recipient>;
}

/**
 * `most-available`: chat and normal go to the available resource(s) with the highest non-negative priority;
 * when several share that priority, all of them get it (RFC 6121 §8.5.2.1.1 leaves the choice to the server).
 * `all`: headline goes to every available resource with a non-negative priority (also §8.5.2.1.1).
 */
export type BarePolicy = "most-available" | "all";

/**
 * Sends `stanza` to the chosen resources and returns how many got it; 0 means none could take it
 * (no available resource with a non-negative priority). Hot path: one pass in the usual one-resource case.
 */
export function deliverToBare(source: RecipientSource, bare: string, stanza: Element, policy: BarePolicy): number {
  if (policy === "all") {
    let n = 0;
    for (const r of source.resources(bare)) {
      if (r.presence !== undefined && r.priority >= 0) {
        r.send(stanza);
        n++;
      }
    }
    return n;
  }
  let top = -1;
  let first: Recipient | undefined;
  let tied = false;
  for (const r of source.resources(bare)) {
    if (r.presence === undefined || r.priority < 0) continue;
    if (r.priority > top) {
      top = r.priority;
      first = r;
      tied = false;
    } else if (r.priority === top) {
      tied = true;
    }
  }
  if (first === undefined) return 0;
  if (!tied) {
    first.send(stanza);
    return 1;
  }
  let n = 0;
  for (const r of source.resources(bare)) {
    if (r.presence !== undefined && r.priority === top) {
      r.send(stanza);
      n++;
    }
  }
  return n;
}
