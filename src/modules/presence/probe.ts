// RFC 6121 §4.3: presence probes, answered from the sessions and the in-memory roster of the probed account.
import type { Jid } from "../../xmpp/jid.ts";
import { hasFrom } from "../roster/api.ts";
import { type BoundSession, type PresenceDeps, addressed, availableSessions, route } from "./deps.ts";

/**
 * §4.3.2: `prober` gets the current presence of each available resource of `contact` (a local account), sent to
 * `replyTo`, only when the contact's roster has the prober with subscription `from` or `both`. Nothing when the
 * contact is offline (no last unavailable presence is kept) or not subscribed. `only` limits it to one resource.
 */
export async function answerProbe(d: PresenceDeps, contact: Jid, prober: Jid, replyTo: Jid, only?: BoundSession): Promise<void> {
  if (contact.local === undefined) return;
  const resources = only ? (only.presence !== undefined ? [only] : []) : [...availableSessions(d, contact.bareString())];
  if (resources.length === 0) return;
  const item = await d.roster.getItem(contact.domain, contact.local, prober.bareString());
  if (!hasFrom(item)) return;
  const target = replyTo.toString();
  for (const s of resources) {
    if (s.presence === undefined) continue; // went unavailable while we read the roster
    await route(d, addressed(s.presence, target), s.jid, replyTo);
  }
}
