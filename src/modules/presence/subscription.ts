// RFC 6121 Appendix A (with §3.4 pre-approval): subscription states and what each subscription stanza does to them.
import type { RosterItem, Subscription } from "../../storage/types.ts";

export type SubscriptionType = "subscribe" | "subscribed" | "unsubscribe" | "unsubscribed";

export const SUBSCRIPTION_TYPES: readonly SubscriptionType[] = ["subscribe", "subscribed", "unsubscribe", "unsubscribed"];

export function isSubscriptionType(t: string | undefined): t is SubscriptionType {
  return t === "subscribe" || t === "subscribed" || t === "unsubscribe" || t === "unsubscribed";
}

/** One of the nine states of A.1, seen from the user's side, plus the pre-approval flag of §3.4. */
export interface SubState {
  /** The user receives the contact's presence. */
  to: boolean;
  /** The contact receives the user's presence. */
  from: boolean;
  /** The user asked the contact and awaits the answer (only without `to`). */
  pendingOut: boolean;
  /** The contact asked the user and awaits the answer (only without `from`). */
  pendingIn: boolean;
  /** The user approved in advance a request the contact has not made yet (only without `from`). */
  approved: boolean;
}

/** A.2: what the user's server does with a subscription stanza its user sends. */
export interface OutboundDecision {
  route: boolean;
  state: SubState;
}

/** A.3: what the contact's server does with a subscription stanza arriving for its user. */
export interface InboundDecision {
  deliver: boolean;
  /** Answer `subscribed` on the user's behalf (already subscribed, or pre-approved). */
  autoReply: boolean;
  state: SubState;
}

/** Drops combinations A.1 does not define (e.g. `ask` on a `to` item), so every state is one of the nine. */
export function normalise(s: SubState): SubState {
  return {
    to: s.to,
    from: s.from,
    pendingOut: s.pendingOut && !s.to,
    pendingIn: s.pendingIn && !s.from,
    approved: s.approved && !s.from,
  };
}

export function stateOf(item: RosterItem | undefined, pendingIn: boolean): SubState {
  const sub = item?.subscription ?? "none";
  return normalise({
    to: sub === "to" || sub === "both",
    from: sub === "from" || sub === "both",
    pendingOut: item?.ask ?? false,
    pendingIn,
    approved: item?.approved ?? false,
  });
}

export function subscriptionOf(s: SubState): Subscription {
  return s.to ? (s.from ? "both" : "to") : s.from ? "from" : "none";
}

export function sameState(a: SubState, b: SubState): boolean {
  return a.to === b.to && a.from === b.from && a.pendingOut === b.pendingOut && a.pendingIn === b.pendingIn && a.approved === b.approved;
}

/** The RFC's name for a state ("None + Pending Out+In"), with " + Approved" for a pre-approval. */
export function stateName(s: SubState): string {
  const base = s.to ? (s.from ? "Both" : "To") : s.from ? "From" : "None";
  const pending = s.pendingOut && s.pendingIn ? " + Pending Out+In" : s.pendingOut ? " + Pending Out" : s.pendingIn ? " + Pending In" : "";
  return base + pending + (s.approved ? " + Approved" : "");
}

export function outbound(type: SubscriptionType, current: SubState): OutboundDecision {
  const s = normalise(current);
  switch (type) {
    case "subscribe": // A.2.1: always routed, so a lost request can be repeated.
      return { route: true, state: normalise({ ...s, pendingOut: !s.to }) };
    case "unsubscribe": // A.2.2: always routed.
      return { route: true, state: { ...s, to: false, pendingOut: false } };
    case "subscribed": // A.2.3
      if (s.from) return { route: false, state: s };
      if (s.pendingIn) return { route: true, state: { ...s, from: true, pendingIn: false, approved: false } };
      return { route: false, state: { ...s, approved: true } }; // §3.4.2: pre-approval, not routed
    case "unsubscribed": // A.2.4
      if (s.from || s.pendingIn) return { route: true, state: { ...s, from: false, pendingIn: false, approved: false } };
      return { route: false, state: { ...s, approved: false } }; // §3.4.2: cancels a pre-approval, if any
  }
}

export function inbound(type: SubscriptionType, current: SubState): InboundDecision {
  const s = normalise(current);
  const none = { deliver: false, autoReply: false, state: s };
  switch (type) {
    case "subscribe": // A.3.1
      if (s.from) return { deliver: false, autoReply: true, state: s };
      if (s.approved) return { deliver: false, autoReply: true, state: { ...s, from: true, pendingIn: false, approved: false } };
      if (s.pendingIn) return none;
      return { deliver: true, autoReply: false, state: { ...s, pendingIn: true } };
    case "unsubscribe": // A.3.2
      if (!s.from && !s.pendingIn) return none;
      return { deliver: true, autoReply: false, state: { ...s, from: false, pendingIn: false } };
    case "subscribed": // A.3.3
      if (s.to || !s.pendingOut) return none;
      return { deliver: true, autoReply: false, state: { ...s, to: true, pendingOut: false } };
    case "unsubscribed": // A.3.4
      if (!s.to && !s.pendingOut) return none;
      return { deliver: true, autoReply: false, state: { ...s, to: false, pendingOut: false } };
  }
}

/**
 * The roster item that stores `state`, built on `current` (name and groups kept). Undefined when there is no
 * item and the state needs none: pending-in alone lives in the pending store, not in the roster (A.1 note).
 */
export function itemFor(current: RosterItem | undefined, jid: string, state: SubState): RosterItem | undefined {
  const subscription = subscriptionOf(state);
  if (current === undefined && subscription === "none" && !state.pendingOut && !state.approved) return undefined;
  const item: RosterItem = {
    jid,
    subscription,
    ask: state.pendingOut,
    approved: state.approved,
    groups: current ? [...current.groups] : [],
  };
  if (current?.name !== undefined) item.name = current.name;
  return item;
}
