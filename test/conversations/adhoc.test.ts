// XEP-0050: the ad-hoc command framework, driven through a probe module's commands.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";
import { RawClient } from "../helpers/raw-client.ts";
import { defaultModules } from "../../src/modules/index.ts";
import { defineModule, type ModuleDefinition } from "../../src/core/module.ts";
import { createAdhocModule, type AdhocApi, type CommandOutcome } from "../../src/modules/adhoc/index.ts";
import { FormError, readText, validateSubmission, type DataForm } from "../../src/codecs/data-forms.ts";
import { StanzaError } from "../../src/xmpp/stanza-error.ts";

const CMD = "http://jabber.org/protocol/commands";
const INFO = "http://jabber.org/protocol/disco#info";
const ITEMS = "http://jabber.org/protocol/disco#items";
const XD = "jabber:x:data";
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

const nameForm = (name?: string): DataForm => ({
  type: "form",
  title: "Step 1",
  fields: [{ var: "name", type: "text-single", label: "Name", required: true, values: name ? [name] : [] }],
});
const colourForm: DataForm = {
  type: "form",
  title: "Step 2",
  fields: [{ var: "colour", type: "list-single", label: "Colour", values: [], options: [{ value: "red" }, { value: "blue" }] }],
};

// Commands exercising each part of the framework.
const probe = defineModule({
  name: "adhoc-probe",
  depends: ["adhoc"],
  setup(ctx) {
    const adhoc = ctx.use<AdhocApi>("adhoc");
    const removers = [
      adhoc.register({
        node: "urn:test:hello",
        name: "Say hello",
        allowed: () => true,
        handler: (inv) => ({
          status: "completed",
          notes: [{ type: "info", text: `Hello ${inv.requester.jid.toString()} admin=${inv.requester.isAdmin} local=${inv.requester.isLocal}` }],
        }),
      }),
      adhoc.register({
        node: "urn:test:admin",
        name: "Admins only",
        allowed: (_jid, isAdmin) => isAdmin,
        handler: () => ({ status: "completed", notes: [{ type: "info", text: "done" }] }),
      }),
      adhoc.register<{ name: string }>({
        node: "urn:test:wizard",
        name: "Wizard",
        allowed: () => true,
        handler: (inv): CommandOutcome<{ name: string }> => {
          if (inv.stage === 0) return { status: "executing", form: nameForm(), actions: ["next"] };
          if (inv.action === "prev") return { status: "executing", form: nameForm(inv.state?.name), actions: ["next"] };
          if (inv.action === "next") {
            try {
              const got = validateSubmission(nameForm(), inv.form ?? { type: "submit", fields: [] });
              return { status: "executing", form: colourForm, actions: ["prev", "complete"], state: { name: readText(got, "name")! } };
            } catch (e) {
              if (!(e instanceof FormError)) throw e;
              return { status: "executing", form: nameForm(), actions: ["next"], notes: [{ type: "error", text: e.message }] };
            }
          }
          const got = validateSubmission(colourForm, inv.form ?? { type: "submit", fields: [] });
          return {
            status: "completed",
            notes: [{ type: "info", text: `${inv.state!.name} likes ${readText(got, "colour") ?? "nothing"}` }],
            form: { type: "result", fields: [{ var: "name", type: "text-single", values: [inv.state!.name] }] },
          };
        },
      }),
      adhoc.register({
        node: "urn:test:local",
        name: "Locals only",
        localOnly: true,
        allowed: () => true,
        handler: () => ({ status: "completed", notes: [{ type: "info", text: "local" }] }),
      }),
      adhoc.register({
        node: "urn:test:fail",
        name: "Fails",
        allowed: () => true,
        handler: (inv) => {
          if (inv.stage === 0) return { status: "executing", form: nameForm() };
          throw new StanzaError("not-acceptable", "Not today");
        },
      }),
    ];
    assert.throws(() => adhoc.register({ node: "urn:test:hello", name: "again", allowed: () => true, handler: () => ({ status: "completed" }) }), /two ad-hoc commands/);
    return { stop: () => removers.forEach((r) => r()) };
  },
});

// The framework alone: without the invite commands, so the lists hold only the probe's.
const baseModules = defaultModules.filter((m) => m.name !== "invites-adhoc");

function modulesWith(...extra: ModuleDefinition[]): ModuleDefinition[] {
  return [...baseModules, ...extra];
}

async function loginOn(ts: TestServer, host: string, username: string): Promise<RawClient> {
  const c = await ts.connect({ host, ca: readFileSync(ts.server.certPath(host)!) });
  await c.authenticate(username, TEST_PASSWORD);
  await c.bind();
  return c;
}

function sessionOf(el: { getChild(n: string, ns?: string): { attrs: Record<string, string> } | undefined }): string {
  const id = el.getChild("command", CMD)?.attrs.sessionid;
  assert.ok(id, "a sessionid");
  return id;
}

describe("ad-hoc commands (XEP-0050)", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ hosts: ["example.com", "other.example"], modules: modulesWith(probe) });
    await ts.createUser("romeo");
    await ts.createUser("juliet");
    await ts.createUser("admin", undefined, "admin");
    await ts.createUser("mallory", undefined, "admin", "other.example");
  });
  after(() => ts.stop());

  test("the domain advertises the commands feature; the list node is automation/command-list", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='get' id='i1' to='example.com'><query xmlns='${INFO}'/></iq>`);
    const r = await c.receives(`<iq type='result' id='i1'><query xmlns='${INFO}'><etc/></query></iq>`);
    assert.ok(r.getChild("query")!.getChildren("feature").some((f) => f.attrs.var === CMD));
    c.send(`<iq type='get' id='i2' to='example.com'><query xmlns='${INFO}' node='${CMD}'/></iq>`);
    await c.receives(`<iq type='result' id='i2'><query xmlns='${INFO}' node='${CMD}'><identity category='automation' type='command-list'/><etc/></query></iq>`);
  });

  test("the list shows only what the requester may run: a user, an admin, an admin of another host", async () => {
    const user = await ts.login("romeo");
    user.send(`<iq type='get' id='l1' to='example.com'><query xmlns='${ITEMS}' node='${CMD}'/></iq>`);
    await user.receives(
      `<iq type='result' id='l1' from='example.com'><query xmlns='${ITEMS}' node='${CMD}'>` +
        `<item jid='example.com' node='urn:test:hello' name='Say hello'/>` +
        `<item jid='example.com' node='urn:test:wizard' name='Wizard'/>` +
        `<item jid='example.com' node='urn:test:local' name='Locals only'/>` +
        `<item jid='example.com' node='urn:test:fail' name='Fails'/>` +
        `</query></iq>`,
    );
    const admin = await ts.login("admin");
    admin.send(`<iq type='get' id='l2' to='example.com'><query xmlns='${ITEMS}' node='${CMD}'/></iq>`);
    const r = await admin.receives(`<iq type='result' id='l2'><query xmlns='${ITEMS}' node='${CMD}'><etc/></query></iq>`);
    assert.deepEqual(
      r.getChild("query")!.getChildren("item").map((i) => i.attrs.node),
      ["urn:test:hello", "urn:test:admin", "urn:test:wizard", "urn:test:local", "urn:test:fail"],
    );
    // An admin of other.example is nobody special on example.com, and local-only commands are not offered.
    const mallory = await loginOn(ts, "other.example", "mallory");
    mallory.send(`<iq type='get' id='l3' to='example.com'><query xmlns='${ITEMS}' node='${CMD}'/></iq>`);
    const m = await mallory.receives(`<iq type='result' id='l3' from='example.com'><query xmlns='${ITEMS}' node='${CMD}'><etc/></query></iq>`);
    assert.deepEqual(
      m.getChild("query")!.getChildren("item").map((i) => i.attrs.node),
      ["urn:test:hello", "urn:test:wizard", "urn:test:fail"],
    );
    // …while on its own domain it is the admin, with items naming that domain.
    mallory.send(`<iq type='get' id='l4' to='other.example'><query xmlns='${ITEMS}' node='${CMD}'/></iq>`);
    const own = await mallory.receives(`<iq type='result' id='l4' from='other.example'><query xmlns='${ITEMS}' node='${CMD}'><etc/></query></iq>`);
    assert.ok(own.getChild("query")!.getChildren("item").every((i) => i.attrs.jid === "other.example"));
    assert.ok(own.getChild("query")!.getChildren("item").some((i) => i.attrs.node === "urn:test:admin"));
  });

  test("disco#info on a command node: automation/command-node; refused to those who may not run it", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='get' id='n1' to='example.com'><query xmlns='${INFO}' node='urn:test:hello'/></iq>`);
    await c.receives(
      `<iq type='result' id='n1'><query xmlns='${INFO}' node='urn:test:hello'><identity category='automation' type='command-node' name='Say hello'/>` +
        `<feature var='${CMD}'/><feature var='${XD}'/></query></iq>`,
    );
    c.send(`<iq type='get' id='n2' to='example.com'><query xmlns='${INFO}' node='urn:test:admin'/></iq>`);
    await c.receives(`<iq type='error' id='n2'><error type='auth'><forbidden xmlns='${STANZAS}'/></error></iq>`);
  });

  test("a single-stage command completes at once, with a session id and its notes", async () => {
    const c = await ts.login("romeo", { resource: "phone" });
    c.send(`<iq type='set' id='e1' to='example.com'><command xmlns='${CMD}' node='urn:test:hello' action='execute'/></iq>`);
    await c.receives(
      `<iq type='result' id='e1' from='example.com' to='romeo@example.com/phone'><command xmlns='${CMD}' node='urn:test:hello' sessionid='*' status='completed'>` +
        `<note type='info'>Hello romeo@example.com/phone admin=false local=true</note></command></iq>`,
    );
    // No action attribute means execute.
    const admin = await ts.login("admin");
    admin.send(`<iq type='set' id='e2' to='example.com'><command xmlns='${CMD}' node='urn:test:hello'/></iq>`);
    const r = await admin.receives(`<iq type='result' id='e2'><command xmlns='${CMD}' status='completed'><note type='info'>*</note></command></iq>`);
    assert.match(r.getChild("command")!.getChildText("note")!, /admin=true local=true$/);
  });

  test("an unknown node is item-not-found; a command without a node is bad-request", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='set' id='u1' to='example.com'><command xmlns='${CMD}' node='urn:test:nothing' action='execute'/></iq>`);
    await c.receives(`<iq type='error' id='u1'><error type='cancel'><item-not-found xmlns='${STANZAS}'/><etc/></error></iq>`);
    c.send(`<iq type='set' id='u2' to='example.com'><command xmlns='${CMD}' action='execute'/></iq>`);
    await c.receives(`<iq type='error' id='u2'><error type='modify'><bad-request xmlns='${STANZAS}'/><etc/></error></iq>`);
  });

  test("not allowed: forbidden, with the canceled command and an error note beside the error (as Prosody)", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='set' id='f1' to='example.com'><command xmlns='${CMD}' node='urn:test:admin' action='execute'/></iq>`);
    const r = await c.receives(
      `<iq type='error' id='f1' from='example.com'>` +
        `<command xmlns='${CMD}' node='urn:test:admin' status='canceled'><note type='error'>You don't have permission to execute this command</note></command>` +
        `<error type='auth'><forbidden xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>You don't have permission to execute this command</text></error></iq>`,
    );
    assert.equal(r.children.length, 2);
  });

  test("a local-only command run from another host completes with the error note", async () => {
    const mallory = await loginOn(ts, "other.example", "mallory");
    mallory.send(`<iq type='set' id='r1' to='example.com'><command xmlns='${CMD}' node='urn:test:local' action='execute'/></iq>`);
    await mallory.receives(
      `<iq type='result' id='r1' from='example.com'><command xmlns='${CMD}' node='urn:test:local' sessionid='*' status='completed'>` +
        `<note type='error'>This command is only available to users of example.com</note></command></iq>`,
    );
    // The same command on mallory's own domain works.
    mallory.send(`<iq type='set' id='r2' to='other.example'><command xmlns='${CMD}' node='urn:test:local' action='execute'/></iq>`);
    await mallory.receives(`<iq type='result' id='r2' from='other.example'><command xmlns='${CMD}' status='completed'><note type='info'>local</note></command></iq>`);
  });

  test("multi-stage: form, next, prev (values remembered), complete; the ended session is gone", async () => {
    const c = await ts.login("juliet");
    c.send(`<iq type='set' id='w1' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' action='execute'/></iq>`);
    const r1 = await c.receives(
      `<iq type='result' id='w1'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='*' status='executing'>` +
        `<actions execute='next'><next/></actions>` +
        `<x xmlns='${XD}' type='form'><title>Step 1</title><field var='name' type='text-single' label='Name'><required/></field></x></command></iq>`,
    );
    const sid = sessionOf(r1);

    // A submission that misses the required field: the stage is offered again with the problem.
    c.send(`<iq type='set' id='w2' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}'><x xmlns='${XD}' type='submit'/></command></iq>`);
    await c.receives(
      `<iq type='result' id='w2'><command xmlns='${CMD}' sessionid='${sid}' status='executing'><actions execute='next'><next/></actions>` +
        `<note type='error'>Field 'name': is required</note><x xmlns='${XD}' type='form'><etc/></x></command></iq>`,
    );

    c.send(
      `<iq type='set' id='w3' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}' action='next'>` +
        `<x xmlns='${XD}' type='submit'><field var='name'><value>Juliet</value></field></x></command></iq>`,
    );
    await c.receives(
      `<iq type='result' id='w3'><command xmlns='${CMD}' sessionid='${sid}' status='executing'><actions execute='complete'><prev/><complete/></actions>` +
        `<x xmlns='${XD}' type='form'><title>Step 2</title><etc/></x></command></iq>`,
    );

    c.send(`<iq type='set' id='w4' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}' action='prev'/></iq>`);
    await c.receives(
      `<iq type='result' id='w4'><command xmlns='${CMD}' sessionid='${sid}' status='executing'><actions execute='next'><next/></actions>` +
        `<x xmlns='${XD}' type='form'><title>Step 1</title><field var='name'><required/><value>Juliet</value></field></x></command></iq>`,
    );

    // "complete" is not offered on step 1.
    c.send(`<iq type='set' id='w5' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}' action='complete'/></iq>`);
    await c.receives(`<iq type='error' id='w5'><error type='modify'><bad-request xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>*</text><bad-action xmlns='${CMD}'/></error></iq>`);

    // That error ended the session? No: refusing an action leaves the session as it was.
    c.send(
      `<iq type='set' id='w6' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}'>` +
        `<x xmlns='${XD}' type='submit'><field var='name'><value>Juliet</value></field></x></command></iq>`,
    );
    await c.receives(`<iq type='result' id='w6'><command xmlns='${CMD}' sessionid='${sid}' status='executing'><etc/></command></iq>`);

    c.send(
      `<iq type='set' id='w7' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}' action='complete'>` +
        `<x xmlns='${XD}' type='submit'><field var='colour'><value>blue</value></field></x></command></iq>`,
    );
    await c.receives(
      `<iq type='result' id='w7'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}' status='completed'>` +
        `<note type='info'>Juliet likes blue</note><x xmlns='${XD}' type='result'><field var='name' type='text-single'><value>Juliet</value></field></x></command></iq>`,
    );

    c.send(`<iq type='set' id='w8' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}'/></iq>`);
    await c.receives(`<iq type='error' id='w8'><error type='modify'><bad-request xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>No such session</text><bad-sessionid xmlns='${CMD}'/></error></iq>`);
  });

  test("cancel ends the session with status canceled", async () => {
    const c = await ts.login("juliet");
    c.send(`<iq type='set' id='c1' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard'/></iq>`);
    const sid = sessionOf(await c.receives(`<iq type='result' id='c1'><command xmlns='${CMD}' status='executing'><etc/></command></iq>`));
    c.send(`<iq type='set' id='c2' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}' action='cancel'/></iq>`);
    await c.receives(`<iq type='result' id='c2'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}' status='canceled'/></iq>`);
    c.send(`<iq type='set' id='c3' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}'/></iq>`);
    await c.receives(`<iq type='error' id='c3'><error type='modify'><bad-request xmlns='${STANZAS}'/><etc/></error></iq>`);
  });

  test("session ids: unknown, another requester's, another node's — all bad-sessionid", async () => {
    const juliet = await ts.login("juliet", { resource: "one" });
    juliet.send(`<iq type='set' id='s1' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard'/></iq>`);
    const sid = sessionOf(await juliet.receives(`<iq type='result' id='s1'><etc/></iq>`));

    juliet.send(`<iq type='set' id='s2' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='no-such-session'/></iq>`);
    await juliet.receives(`<iq type='error' id='s2'><error type='modify'><bad-request xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>No such session</text><bad-sessionid xmlns='${CMD}'/></error></iq>`);

    const romeo = await ts.login("romeo");
    romeo.send(`<iq type='set' id='s3' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}' action='cancel'/></iq>`);
    await romeo.receives(`<iq type='error' id='s3'><error type='modify'><bad-request xmlns='${STANZAS}'/><etc/></error></iq>`);

    const otherResource = await ts.login("juliet", { resource: "two" });
    otherResource.send(`<iq type='set' id='s4' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}'/></iq>`);
    await otherResource.receives(`<iq type='error' id='s4'><error type='modify'><bad-request xmlns='${STANZAS}'/><etc/></error></iq>`);

    juliet.send(`<iq type='set' id='s5' to='example.com'><command xmlns='${CMD}' node='urn:test:fail' sessionid='${sid}'/></iq>`);
    await juliet.receives(`<iq type='error' id='s5'><error type='modify'><bad-request xmlns='${STANZAS}'/><etc/></error></iq>`);

    // The session survived all that, for its owner.
    juliet.send(`<iq type='set' id='s6' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${sid}' action='cancel'/></iq>`);
    await juliet.receives(`<iq type='result' id='s6'><command xmlns='${CMD}' status='canceled'/></iq>`);
  });

  test("bad requests: unknown action (malformed-action), prev with no session (bad-action), broken form (bad-payload)", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='set' id='b1' to='example.com'><command xmlns='${CMD}' node='urn:test:hello' action='dance'/></iq>`);
    await c.receives(`<iq type='error' id='b1'><error type='modify'><bad-request xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>*</text><malformed-action xmlns='${CMD}'/></error></iq>`);
    c.send(`<iq type='set' id='b2' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' action='prev'/></iq>`);
    await c.receives(`<iq type='error' id='b2'><error type='modify'><bad-request xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>*</text><bad-action xmlns='${CMD}'/></error></iq>`);
    c.send(`<iq type='set' id='b3' to='example.com'><command xmlns='${CMD}' node='urn:test:hello'><x xmlns='${XD}' type='bogus'/></command></iq>`);
    await c.receives(`<iq type='error' id='b3'><error type='modify'><bad-request xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>*</text><bad-payload xmlns='${CMD}'/></error></iq>`);
  });

  test("a handler's stanza error is the reply, and it ends the session", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='set' id='h1' to='example.com'><command xmlns='${CMD}' node='urn:test:fail'/></iq>`);
    const sid = sessionOf(await c.receives(`<iq type='result' id='h1'><command xmlns='${CMD}' status='executing'><etc/></command></iq>`));
    c.send(`<iq type='set' id='h2' to='example.com'><command xmlns='${CMD}' node='urn:test:fail' sessionid='${sid}'/></iq>`);
    await c.receives(`<iq type='error' id='h2'><error type='modify'><not-acceptable xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>Not today</text></error></iq>`);
    c.send(`<iq type='set' id='h3' to='example.com'><command xmlns='${CMD}' node='urn:test:fail' sessionid='${sid}'/></iq>`);
    await c.receives(`<iq type='error' id='h3'><error type='modify'><bad-request xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>No such session</text><bad-sessionid xmlns='${CMD}'/></error></iq>`);
  });

  test("commands are on the domain only: to an account it is service-unavailable", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='set' id='a1'><command xmlns='${CMD}' node='urn:test:hello'/></iq>`);
    await c.receives(`<iq type='error' id='a1'><error type='cancel'><service-unavailable xmlns='${STANZAS}'/></error></iq>`);
  });
});

describe("ad-hoc sessions expire", () => {
  let ts: TestServer;
  let clock = Date.now();
  before(async () => {
    const modules = [...baseModules.filter((m) => m.name !== "adhoc"), createAdhocModule({ sessionTtlSeconds: 300, now: () => clock }), probe];
    ts = await startTestServer({ modules });
    await ts.createUser("juliet");
  });
  after(() => ts.stop());

  test("an idle session: session-expired after the ttl, then forgotten (bad-sessionid)", async () => {
    const c = await ts.login("juliet");
    const open = async (id: string): Promise<string> => {
      c.send(`<iq type='set' id='${id}' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard'/></iq>`);
      return sessionOf(await c.receives(`<iq type='result' id='${id}'><command xmlns='${CMD}' status='executing'><etc/></command></iq>`));
    };
    const s1 = await open("x1");
    clock += 299_000;
    c.send(`<iq type='set' id='x2' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${s1}' action='prev'/></iq>`);
    await c.receives(`<iq type='error' id='x2'><error type='modify'><bad-request xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>*</text><bad-action xmlns='${CMD}'/></error></iq>`);
    // Activity does not count unless a stage ran; a stage that runs renews the session.
    c.send(`<iq type='set' id='x3' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${s1}'><x xmlns='${XD}' type='submit'><field var='name'><value>J</value></field></x></command></iq>`);
    await c.receives(`<iq type='result' id='x3'><command xmlns='${CMD}' status='executing'><etc/></command></iq>`);
    clock += 299_000;
    c.send(`<iq type='set' id='x4' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${s1}' action='prev'/></iq>`);
    await c.receives(`<iq type='result' id='x4'><command xmlns='${CMD}' status='executing'><etc/></command></iq>`);

    clock += 301_000;
    c.send(`<iq type='set' id='x5' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${s1}'/></iq>`);
    await c.receives(`<iq type='error' id='x5'><error type='cancel'><not-allowed xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>*</text><session-expired xmlns='${CMD}'/></error></iq>`);

    const s2 = await open("x6");
    clock += 601_000;
    c.send(`<iq type='set' id='x7' to='example.com'><command xmlns='${CMD}' node='urn:test:wizard' sessionid='${s2}'/></iq>`);
    await c.receives(`<iq type='error' id='x7'><error type='modify'><bad-request xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>*</text><bad-sessionid xmlns='${CMD}'/></error></iq>`);
  });
});
