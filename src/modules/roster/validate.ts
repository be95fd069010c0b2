// RFC 6121 §2.3.3 and §2.5.3: the checks a roster set passes before anything changes.
import { type Jid, tryParseJid } from "../../xmpp/jid.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import type { RosterRequest } from "./codec.ts";

/** "Server-configured limits" of §2.3.3, in characters. */
export const MAX_NAME_LENGTH = 1024;
export const MAX_GROUP_LENGTH = 1024;
export const MAX_GROUPS = 256;

export type RosterSet =
  | { kind: "update"; contact: Jid; name: string | undefined; groups: string[] }
  | { kind: "remove"; contact: Jid };

/** Throws the StanzaError the RFC names for the first problem found. `owner` is the user's bare JID. */
export function validateRosterSet(req: RosterRequest, owner: Jid): RosterSet {
  if (req.items.length !== 1) throw new StanzaError("bad-request", "A roster set carries exactly one item");
  const item = req.items[0]!;
  if (item.jid === undefined) throw new StanzaError("bad-request", "The item has no 'jid'");
  const contact = tryParseJid(item.jid);
  if (!contact || !contact.isBare()) throw new StanzaError("jid-malformed", "The item's 'jid' is not a valid bare JID");
  if (contact.equals(owner)) throw new StanzaError("not-allowed", "Your own JID cannot be in your roster");
  if (item.subscription === "remove") return { kind: "remove", contact };

  const name = item.name;
  if (name !== undefined && tooLong(name, MAX_NAME_LENGTH)) {
    throw new StanzaError("not-acceptable", `The name is longer than ${MAX_NAME_LENGTH} characters`);
  }
  if (item.groups.length > MAX_GROUPS) throw new StanzaError("not-acceptable", `More than ${MAX_GROUPS} groups`);
  const seen = new Set<string>();
  for (const group of item.groups) {
    if (group.trim() === "") throw new StanzaError("not-acceptable", "A group name is empty");
    if (tooLong(group, MAX_GROUP_LENGTH)) {
      throw new StanzaError("not-acceptable", `A group name is longer than ${MAX_GROUP_LENGTH} characters`);
    }
    if (seen.has(group)) throw new StanzaError("bad-request", `The group '${group}' is listed twice`);
    seen.add(group);
  }
  return { kind: "update", contact, name: name === "" ? undefined : name, groups: item.groups };
}

/** Counts code points, not UTF-16 units, so a name of emoji is not cut at half the limit. */
function tooLong(s: string, max: number): boolean {
  if (s.length <= max) return false;
  let n = 0;
  for (const _ of s) if (++n > max) return true;
  return false;
}
