// RFC 6121 Appendix A: every row of the outbound (A.2) and inbound (A.3) tables, plus §3.4 pre-approval.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  type SubState,
  type SubscriptionType,
  inbound,
  itemFor,
  normalise,
  outbound,
  stateName,
  stateOf,
  subscriptionOf,
} from "../../../src/modules/presence/subscription.ts";

/** Reads the RFC's names: "None + Pending Out+In", "From + Pending Out", "To + Approved"… */
function state(name: string): SubState {
  const [base, ...flags] = name.split(" + ");
  const s: SubState = {
    to: base === "To" || base === "Both",
    from: base === "From" || base === "Both",
    pendingOut: false,
    pendingIn: false,
    approved: false,
  };
  for (const f of flags) {
    if (f === "Pending Out") s.pendingOut = true;
    else if (f === "Pending In") s.pendingIn = true;
    else if (f === "Pending Out+In") s.pendingOut = s.pendingIn = true;
    else if (f === "Approved") s.approved = true;
    else throw new Error(`unknown flag ${f}`);
  }
  assert.equal(stateName(s), name, "test table names a state the RFC does not define");
  return s;
}

const SAME = "no state change";
type Row = [existing: string, yes: boolean, next: string];

// A.2.1 … A.2.4: EXISTING STATE | ROUTE? | NEW STATE
const OUTBOUND: Record<SubscriptionType, Row[]> = {
  subscribe: [
    ["None", true, "None + Pending Out"],
    ["None + Pending Out", true, SAME],
    ["None + Pending In", true, "None + Pending Out+In"],
    ["None + Pending Out+In", true, SAME],
    ["To", true, SAME],
    ["To + Pending In", true, SAME],
    ["From", true, "From + Pending Out"],
    ["From + Pending Out", true, SAME],
    ["Both", true, SAME],
  ],
  unsubscribe: [
    ["None", true, SAME],
    ["None + Pending Out", true, "None"],
    ["None + Pending In", true, SAME],
    ["None + Pending Out+In", true, "None + Pending In"],
    ["To", true, "None"],
    ["To + Pending In", true, "None + Pending In"],
    ["From", true, SAME],
    ["From + Pending Out", true, "From"],
    ["Both", true, "From"],
  ],
  // The three "no *" rows are §3.4 pre-approvals: not routed, the item is marked approved.
  subscribed: [
    ["None", false, "None + Approved"],
    ["None + Pending Out", false, "None + Pending Out + Approved"],
    ["None + Pending In", true, "From"],
    ["None + Pending Out+In", true, "From + Pending Out"],
    ["To", false, "To + Approved"],
    ["To + Pending In", true, "Both"],
    ["From", false, SAME],
    ["From + Pending Out", false, SAME],
    ["Both", false, SAME],
  ],
  unsubscribed: [
    ["None", false, SAME],
    ["None + Pending Out", false, SAME],
    ["None + Pending In", true, "None"],
    ["None + Pending Out+In", true, "None + Pending Out"],
    ["To", false, SAME],
    ["To + Pending In", true, "To"],
    ["From", true, "None"],
    ["From + Pending Out", true, "None + Pending Out"],
    ["Both", true, "To"],
  ],
};

// A.3.1 … A.3.4: EXISTING STATE | DELIVER? | NEW STATE (auto-replied rows are checked separately)
const INBOUND: Record<SubscriptionType, Row[]> = {
  subscribe: [
    ["None", true, "None + Pending In"],
    ["None + Pending Out", true, "None + Pending Out+In"],
    ["None + Pending In", false, SAME],
    ["None + Pending Out+In", false, SAME],
    ["To", true, "To + Pending In"],
    ["To + Pending In", false, SAME],
    ["From", false, SAME],
    ["From + Pending Out", false, SAME],
    ["Both", false, SAME],
  ],
  unsubscribe: [
    ["None", false, SAME],
    ["None + Pending Out", false, SAME],
    ["None + Pending In", true, "None"],
    ["None + Pending Out+In", true, "None + Pending Out"],
    ["To", false, SAME],
    ["To + Pending In", true, "To"],
    ["From", true, "None"],
    ["From + Pending Out", true, "None + Pending Out"],
    ["Both", true, "To"],
  ],
  subscribed: [
    ["None", false, SAME],
    ["None + Pending Out", true, "To"],
    ["None + Pending In", false, SAME],
    ["None + Pending Out+In", true, "To + Pending In"],
    ["To", false, SAME],
    ["To + Pending In", false, SAME],
    ["From", false, SAME],
    ["From + Pending Out", true, "Both"],
    ["Both", false, SAME],
  ],
  unsubscribed: [
    ["None", false, SAME],
    ["None + Pending Out", true, "None"],
    ["None + Pending In", false, SAME],
    ["None + Pending Out+In", true, "None + Pending In"],
    ["To", true, "None"],
    ["To + Pending In", true, "None + Pending In"],
    ["From", false, SAME],
    ["From + Pending Out", true, "From"],
    ["Both", true, "From"],
  ],
};

describe("A.2 outbound subscription stanzas (user's server)", () => {
  for (const [type, rows] of Object.entries(OUTBOUND) as [SubscriptionType, Row[]][]) {
    for (const [existing, route, next] of rows) {
      test(`${type} in "${existing}": route ${route ? "yes" : "no"}, ${next === SAME ? SAME : `"${next}"`}`, () => {
        const d = outbound(type, state(existing));
        assert.equal(d.route, route);
        assert.equal(stateName(d.state), next === SAME ? existing : next);
      });
    }
  }
});

describe("A.3 inbound subscription stanzas (contact's server)", () => {
  for (const [type, rows] of Object.entries(INBOUND) as [SubscriptionType, Row[]][]) {
    for (const [existing, deliver, next] of rows) {
      test(`${type} in "${existing}": deliver ${deliver ? "yes" : "no"}, ${next === SAME ? SAME : `"${next}"`}`, () => {
        const d = inbound(type, state(existing));
        assert.equal(d.deliver, deliver);
        assert.equal(stateName(d.state), next === SAME ? existing : next);
      });
    }
  }

  test("subscribe from a contact already subscribed (From, From + Pending Out, Both) is answered with subscribed", () => {
    for (const name of ["From", "From + Pending Out", "Both"]) assert.equal(inbound("subscribe", state(name)).autoReply, true, name);
    for (const name of ["None", "None + Pending Out", "None + Pending In", "None + Pending Out+In", "To", "To + Pending In"]) {
      assert.equal(inbound("subscribe", state(name)).autoReply, false, name);
    }
  });

  test("no other inbound stanza is ever auto-answered", () => {
    for (const type of ["subscribed", "unsubscribe", "unsubscribed"] as const) {
      for (const [existing] of INBOUND[type]) assert.equal(inbound(type, state(existing)).autoReply, false, `${type} ${existing}`);
    }
  });
});

describe("§3.4 subscription pre-approval", () => {
  const cases: [string, string][] = [
    ["None + Approved", "From"],
    ["None + Pending Out + Approved", "From + Pending Out"],
    ["To + Approved", "Both"],
  ];
  for (const [existing, next] of cases) {
    test(`a subscribe in "${existing}" is approved at once: "${next}", answered, not delivered`, () => {
      const d = inbound("subscribe", state(existing));
      assert.deepEqual([d.deliver, d.autoReply, stateName(d.state)], [false, true, next]);
    });
  }

  test("unsubscribed cancels a pre-approval without being routed", () => {
    for (const [existing, next] of [
      ["None + Approved", "None"],
      ["None + Pending Out + Approved", "None + Pending Out"],
      ["To + Approved", "To"],
    ] as const) {
      const d = outbound("unsubscribed", state(existing));
      assert.deepEqual([d.route, stateName(d.state)], [false, next], existing);
    }
  });

  test("a second pre-approval changes nothing", () => {
    const d = outbound("subscribed", state("None + Approved"));
    assert.deepEqual([d.route, stateName(d.state)], [false, "None + Approved"]);
  });

  test("the other stanzas leave a pre-approval in place", () => {
    assert.equal(stateName(outbound("subscribe", state("None + Approved")).state), "None + Pending Out + Approved");
    assert.equal(stateName(inbound("unsubscribed", state("None + Pending Out + Approved")).state), "None + Approved");
    assert.equal(stateName(inbound("unsubscribe", state("To + Approved")).state), "To + Approved");
  });
});

describe("stored items and states", () => {
  test("stateOf reads subscription, ask, approved and pending-in; undefined states collapse to defined ones", () => {
    const item = (subscription: "none" | "to" | "from" | "both", ask = false, approved = false) => ({
      jid: "c@x",
      subscription,
      ask,
      approved,
      groups: [],
    });
    assert.equal(stateName(stateOf(undefined, false)), "None");
    assert.equal(stateName(stateOf(undefined, true)), "None + Pending In");
    assert.equal(stateName(stateOf(item("none", true), true)), "None + Pending Out+In");
    assert.equal(stateName(stateOf(item("from", true), false)), "From + Pending Out");
    assert.equal(stateName(stateOf(item("to"), true)), "To + Pending In");
    // ask on a 'to' item, pending-in or approval on a 'from' item: A.1 has no such states.
    assert.equal(stateName(stateOf(item("to", true), false)), "To");
    assert.equal(stateName(stateOf(item("both", true, true), true)), "Both");
    assert.equal(stateName(normalise({ to: false, from: true, pendingOut: false, pendingIn: true, approved: true })), "From");
  });

  test("subscriptionOf maps to/from to the roster's subscription attribute", () => {
    assert.equal(subscriptionOf(state("None + Pending Out+In")), "none");
    assert.equal(subscriptionOf(state("To + Pending In")), "to");
    assert.equal(subscriptionOf(state("From + Pending Out")), "from");
    assert.equal(subscriptionOf(state("Both")), "both");
  });

  test("itemFor keeps name and groups, and creates no item for pending-in alone", () => {
    assert.equal(itemFor(undefined, "c@x", state("None + Pending In")), undefined);
    assert.equal(itemFor(undefined, "c@x", state("None")), undefined);
    assert.deepEqual(itemFor(undefined, "c@x", state("None + Approved")), {
      jid: "c@x",
      subscription: "none",
      ask: false,
      approved: true,
      groups: [],
    });
    const current = { jid: "c@x", name: "Contact", subscription: "none" as const, ask: true, approved: false, groups: ["Friends"] };
    assert.deepEqual(itemFor(current, "c@x", state("To")), { ...current, subscription: "to", ask: false });
    // An existing item stays even when its state falls back to None.
    assert.deepEqual(itemFor({ ...current, subscription: "to", ask: false }, "c@x", state("None")), {
      ...current,
      subscription: "none",
      ask: false,
    });
  });
});
