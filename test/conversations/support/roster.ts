// Shared steps of the roster and presence conversations (RFC 6121): log in, fetch the roster, go available.
import type { RawClient } from "../../helpers/raw-client.ts";
import { startTestServer, type TestServer } from "../../helpers/server.ts";
import type { Subscription } from "../../../src/storage/types.ts";

export const ROSTER = "jabber:iq:roster";

/** Runs `fn` against a fresh server with these accounts, and stops it whatever happens. */
export async function withServer(users: string[], fn: (ts: TestServer) => Promise<void>): Promise<void> {
  const ts = await startTestServer();
  try {
    for (const u of users) await ts.createUser(u);
    await fn(ts);
  } finally {
    await ts.stop();
  }
}

/**
 * Logs `user/resource` in; by default fetches the roster (an interested resource, §2.1.6) and sends initial
 * presence, waiting for the echo. Whatever else initial presence brings (contacts' presence) is left to the test.
 */
export async function online(
  ts: TestServer,
  user: string,
  resource: string,
  opts: { roster?: boolean; available?: boolean } = {},
): Promise<RawClient> {
  const c = await ts.login(user, { resource });
  if (opts.roster !== false) {
    c.send(`<iq type='get' id='roster-1'><query xmlns='${ROSTER}'/></iq>`);
    await c.receives(`<iq type='result' id='roster-1'><query xmlns='${ROSTER}'><etc/></query></iq>`);
  }
  if (opts.available !== false) {
    c.send("<presence/>");
    await c.receives(`<presence from='${c.jid}'/>`);
  }
  return c;
}

/** Puts a subscription straight into the store, before the users log in (set-up only). */
export async function subscribed(ts: TestServer, owner: string, contact: string, subscription: Subscription): Promise<void> {
  await ts.server.storage.rosters.putItem(ts.host, owner, {
    jid: `${contact}@${ts.host}`,
    subscription,
    ask: false,
    approved: false,
    groups: [],
  });
}

export async function mutual(ts: TestServer, a: string, b: string): Promise<void> {
  await subscribed(ts, a, b, "both");
  await subscribed(ts, b, a, "both");
}
