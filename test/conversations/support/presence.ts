// Helpers for message conversations: become available with a priority, and read past presence traffic.
import type { Element } from "../../../src/xml/element.ts";
import type { RawClient } from "../../helpers/raw-client.ts";
import type { TestServer } from "../../helpers/server.ts";
import { mismatch, parseOne } from "../../helpers/match.ts";
import { parseJid } from "../../../src/xmpp/jid.ts";
import { waitFor } from "../../helpers/wait.ts";

/** Sends available presence with `priority` and waits until the server holds it for this session. */
export async function available(ts: TestServer, c: RawClient, priority = 0): Promise<void> {
  c.send(`<presence><priority>${priority}</priority></presence>`);
  const jid = parseJid(c.jid!);
  await waitFor(() => {
    const s = ts.server.sessions.get(jid);
    return s !== undefined && s.presence !== undefined && s.priority === priority;
  });
}

/** The next stanza that is not a presence must match `pattern`. */
export async function receivesMessage(c: RawClient, pattern: string, timeoutMs?: number): Promise<Element> {
  const expected = parseOne(pattern);
  for (;;) {
    const el = await c.next(timeoutMs);
    if (el.name === "presence") continue;
    const m = mismatch(expected, el);
    if (m) throw new Error(`${m}\n  expected: ${pattern}\n  received: ${el.toString("jabber:client")}`);
    return el;
  }
}

/** Nothing but presence arrives within `ms`. */
export async function receivesNoMessage(c: RawClient, ms = 300): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const left = end - Date.now();
    if (left <= 0) return;
    let el: Element;
    try {
      el = await c.next(left);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith("timed out")) return;
      throw e;
    }
    if (el.name !== "presence") throw new Error(`expected no message, received ${el.toString("jabber:client")}`);
  }
}
