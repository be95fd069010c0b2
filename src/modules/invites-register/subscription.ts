// XEP-0379 0.3.3: a subscription request carrying the contact's invite token is approved by the contact's server,
// which also asks for the subscription back (spec invites.md §8).
import type { ModuleContext } from "../../core/module.ts";
import type { StanzaEvent } from "../../core/events.ts";
import { Element, x } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import type { Jid } from "../../xmpp/jid.ts";
import type { RosterItem } from "../../storage/types.ts";
import type { InvitesApi, ValidInvite } from "../invites/api.ts";
import { type TokenThrottle, tokenLogHint } from "../invites/token-throttle.ts";
import { type RosterApi, hasFrom, hasTo } from "../roster/api.ts";

export interface SubscriptionDeps {
  ctx: ModuleContext;
  invites: InvitesApi;
  roster: RosterApi;
  throttle: TokenThrottle;
}

function withoutPreauth(stanza: Element): Element {
  const children = stanza.children.filter((c) => typeof c === "string" || !c.is("preauth", NS.PARS));
  return new Element(stanza.name, stanza.ns, { ...stanza.attrs }, children);
}

/**
 * Runs before the presence module on inbound presence. The token never goes further: it is stripped before the
 * request is delivered, stored as pending or answered, whether it was valid or not. A valid one pre-approves the
 * sender, then the request (without token) goes through normal processing, which answers `subscribed` on the
 * contact's behalf; last, the contact subscribes back — so the sender sees `subscribed` then `subscribe`, as from
 * Prosody. An invalid token changes nothing: the request waits for the contact like any other (no error to the sender).
 */
export function preauthSubscription(d: SubscriptionDeps) {
  const { log, router } = d.ctx;
  return async (ev: StanzaEvent): Promise<boolean> => {
    const { stanza } = ev;
    if (stanza.attrs.type !== "subscribe") return false;
    const preauth = stanza.getChild("preauth", NS.PARS);
    if (!preauth) return false;
    const request = withoutPreauth(stanza);
    ev.stanza = request;
    const contact = ev.to.bare();
    const sender = ev.from.bare();
    if (contact.local === undefined || contact.equals(sender)) return false;
    let routed = false;
    try {
      const valid = await check(d, ev, contact, sender, preauth.attrs.token);
      if (!valid) return false;
      await preApprove(d, contact, sender);
      await router.route(request, ev.from, contact, ev.origin);
      routed = true;
      await subscribeBack(d, contact, sender);
      log.info({ contact: contact.toString(), subscriber: sender.toString(), invite: valid.record.id }, "subscription approved by invite");
      return true;
    } catch (err) {
      // Graceful degradation, as XEP-0379 wants: whatever went wrong, the request is still processed (once).
      log.error({ err }, "pre-authenticated subscription failed");
      return routed;
    }
  };
}

/**
 * Who the token-failure throttle counts against: the sending stream's address; a local sender's addresses when the
 * request was routed on its behalf (its streams' addresses); a remote server's users by their domain.
 */
function throttleKeys(d: SubscriptionDeps, ev: StanzaEvent, sender: Jid): string[] {
  if (ev.origin) return [ev.origin.ip];
  if (!d.ctx.isLocalHost(sender.domain)) return [`domain:${sender.domain}`];
  const ips = new Set<string>();
  for (const s of d.ctx.sessions.resources(sender.bareString())) ips.add(s.ip);
  return ips.size > 0 ? [...ips] : [`account:${sender.bareString()}`];
}

/** Validates and consumes the token for this subscriber; undefined when it is not good for this contact. */
async function check(d: SubscriptionDeps, ev: StanzaEvent, contact: Jid, sender: Jid, token: string | undefined): Promise<ValidInvite | undefined> {
  const keys = throttleKeys(d, ev, sender);
  if (token === undefined || keys.some((k) => d.throttle.isBlocked(k))) return undefined;
  const valid = await d.invites.validateContact(contact.domain, contact.local!, token);
  if (valid && (await d.invites.consumeForSubscription(valid, sender.toString()))) return valid;
  for (const k of keys) d.throttle.fail(k);
  d.ctx.log.info({ contact: contact.toString(), subscriber: sender.toString(), tokenHash: tokenLogHint(token) }, "subscription token refused");
  return undefined;
}

/**
 * RFC 6121 §3.4 pre-approval of `sender` in the contact's roster (nothing to do when it is subscribed already).
 * Not pushed: the approval is spent at once by the request, whose processing pushes the resulting item.
 */
async function preApprove(d: SubscriptionDeps, contact: Jid, sender: Jid): Promise<void> {
  const jid = sender.toString();
  const approve = (cur: Readonly<RosterItem> | undefined): RosterItem | undefined => {
    if (hasFrom(cur)) return cur as RosterItem;
    if (!cur) return { jid, subscription: "none", ask: false, approved: true, groups: [] };
    return { ...cur, groups: [...cur.groups], approved: true };
  };
  await d.roster.updateItem(contact.domain, contact.local!, jid, approve, { push: false });
}

/** The contact asks for the sender's presence too, unless it has it or has asked already. */
async function subscribeBack(d: SubscriptionDeps, contact: Jid, sender: Jid): Promise<void> {
  const jid = sender.toString();
  let ask = false;
  await d.roster.updateItem(contact.domain, contact.local!, jid, (cur): RosterItem | undefined => {
    if (hasTo(cur) || cur?.ask) return cur as RosterItem | undefined;
    ask = true;
    if (!cur) return { jid, subscription: "none", ask: true, approved: false, groups: [] };
    return { ...cur, groups: [...cur.groups], ask: true };
  });
  if (ask) await d.ctx.router.route(x("presence", { type: "subscribe", from: contact.toString(), to: jid }), contact, sender);
}
