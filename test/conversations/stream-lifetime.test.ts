// What a closed stream leaves behind: nothing once its peer has gone, and its socket only as long as the
// peer takes to close its side (at most three seconds).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { defineModule } from "../../src/core/module.ts";
import type { Session } from "../../src/core/session.ts";
import { defaultModules } from "../../src/modules/index.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const PROBE_NS = "urn:test:session-probe";
/** The sessions that asked, weakly: holding them would keep them alive. */
const probed: WeakRef<Session>[] = [];

const probe = defineModule({
  name: "session-probe",
  setup: () => ({
    preAuthIq: [
      {
        type: "get",
        ns: PROBE_NS,
        name: "query",
        handler: ({ session }) => {
          probed.push(new WeakRef(session));
          return undefined;
        },
      },
    ],
  }),
});

const tick = () => new Promise((r) => setTimeout(r, 25));

/** Collects garbage until the session is gone, for up to `ms`; whether it went. */
async function collected(ref: WeakRef<Session>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // A WeakRef read keeps its target until the end of that job: collect in a later one.
    await tick();
    gc();
    await tick();
    if (ref.deref() === undefined) return true;
  }
  return false;
}

describe("stream lifetime", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ modules: [...defaultModules, probe] });
  });
  after(() => ts.stop());

  test("a stream closed by both sides can be collected at once, not after the three-second linger", async () => {
    const c = await ts.connect();
    c.send(`<iq type='get' id='p1'><query xmlns='${PROBE_NS}'/></iq>`);
    await c.receives(`<iq type='result' id='p1'/>`);
    const ref = probed.at(-1)!;
    await c.close();
    await new Promise<void>((r) => (c.socket.destroyed ? r() : c.socket.once("close", () => r())));
    assert.ok(await collected(ref, 1500), "the closed session was still reachable 1.5 s after its socket closed");
  });

  test("a peer that never closes its side has the connection dropped after about three seconds", async () => {
    const peer = connect({ port: ts.port, host: "127.0.0.1", allowHalfOpen: true });
    await new Promise<void>((r) => peer.once("connect", () => r()));
    let got = "";
    peer.on("data", (d) => (got += d.toString()));
    const ended = new Promise<void>((r) => peer.once("end", () => r()));
    peer.write(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${ts.host}' version='1.0'>`);
    peer.write(`<iq type='get' id='p2'><query xmlns='${PROBE_NS}'/></iq>`);
    while (!got.includes("id=\"p2\"")) await tick();
    const session = probed.at(-1)!.deref()!;
    // The server's end of the connection (private to the session; read here only to watch it go).
    const socket = (session as unknown as { socket: Socket }).socket;
    peer.write("</stream:stream>");
    await ended;
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(socket.destroyed, false, "the server dropped the connection before its peer had time to close");
    await new Promise((r) => setTimeout(r, 2500));
    const dropped = socket.destroyed;
    peer.destroy();
    assert.ok(dropped, "the server still held the connection 3.5 s after closing its side");
  });
});
