// XEP-0401 over XEP-0050: the invite commands (test-cases.md H63–H68, F55), and listing and revoking invites.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";
import type { RawClient } from "../helpers/raw-client.ts";
import type { Element } from "../../src/xml/element.ts";
import type { InvitesApi } from "../../src/modules/invites/api.ts";

const CMD = "http://jabber.org/protocol/commands";
const ITEMS = "http://jabber.org/protocol/disco#items";
const XD = "jabber:x:data";
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const HOST = "example.com";

const CONTACT = "urn:xmpp:invite#invite";
const ACCOUNT = "urn:xmpp:invite#create-account";
const RESET = "xmpp:prosody.im/mod_invites_adhoc#password-reset";
const LIST = "urn:hearth:invites#list";
const REVOKE = "urn:hearth:invites#revoke";

const TOKEN = /preauth=([A-Za-z0-9_-]+)/;
const XEP82 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The invitation result, as XEP-0401 0.6.0 and invites.md §13.1 [OURS] have it; returns its values. */
function invitation(iq: Element): { uri: string; landing: string | undefined; expire: string; token: string } {
  const x = iq.getChild("command", CMD)!.getChild("x", XD)!;
  assert.equal(x.attrs.type, "result");
  assert.equal(x.getChildText("title", XD), "Your invite has been created");
  const fields = x.getChildren("field", XD);
  assert.deepEqual(
    fields.map((f) => [f.attrs.var, f.attrs.type, f.attrs.label]),
    [
      ["FORM_TYPE", "hidden", undefined],
      ["landing-url", "text-single", "Invite web page"],
      ["uri", "text-single", "Invite URI"],
      ["expire", "text-single", "Invite valid until"],
    ],
  );
  const value = (i: number) => fields[i]!.getChildren("value", XD).map((v) => v.text());
  assert.deepEqual(value(0), ["urn:xmpp:invite#invitation"]);
  assert.equal(fields[1]!.getChildText("desc", XD), "Share this link");
  const [uri] = value(2);
  const [expire] = value(3);
  assert.ok(uri && expire);
  assert.match(expire, XEP82);
  const token = TOKEN.exec(uri)?.[1];
  assert.ok(token, `a token in ${uri}`);
  return { uri, landing: value(1)[0], expire, token };
}

async function run(c: RawClient, node: string, id: string, body = "", attrs = ""): Promise<Element> {
  c.send(`<iq type='set' id='${id}' to='${HOST}'><command xmlns='${CMD}' node='${node}' ${attrs}>${body}</command></iq>`);
  const r = await c.next();
  assert.equal(r.attrs.id, id);
  return r;
}

function completed(r: Element): Element {
  assert.equal(r.attrs.type, "result", r.toString());
  const cmd = r.getChild("command", CMD)!;
  assert.equal(cmd.attrs.status, "completed");
  return cmd;
}

function noteOf(r: Element): { type: string | undefined; text: string } {
  const note = completed(r).getChild("note", CMD);
  assert.ok(note, `a note in ${r.toString()}`);
  return { type: note.attrs.type, text: note.text() };
}

function submit(fields: Record<string, string | string[]>): string {
  const f = Object.entries(fields)
    .map(([k, v]) => `<field var='${k}'>${(Array.isArray(v) ? v : [v]).map((s) => `<value>${s}</value>`).join("")}</field>`)
    .join("");
  return `<x xmlns='${XD}' type='submit'>${f}</x>`;
}

async function commandNodes(c: RawClient, id: string, to = HOST): Promise<[string, string][]> {
  c.send(`<iq type='get' id='${id}' to='${to}'><query xmlns='${ITEMS}' node='${CMD}'/></iq>`);
  const r = await c.receives(`<iq type='result' id='${id}'><query xmlns='${ITEMS}' node='${CMD}'><etc/></query></iq>`);
  return r.getChild("query")!.getChildren("item").map((i) => [i.attrs.node!, i.attrs.name!]);
}

function inviteApi(ts: TestServer): InvitesApi {
  return ts.server.modules.api<InvitesApi>("invites")!;
}

describe("invite commands, default settings (allow_user_invites = false, allow_contact_invites = true), no web server", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({
      hosts: [HOST, "other.example"],
      configure: (c) => {
        c.invites.maxLivePerUser = 3;
        c.http.enabled = false; // no web server, so no landing pages
      },
    });
    await ts.createUser("admin", undefined, "admin");
    await ts.createUser("romeo");
    await ts.createUser("rita", undefined, "restricted");
    await ts.createUser("quinn");
    await ts.createUser("mallory", undefined, "admin", "other.example");
    await ts.server.storage.groups.create(HOST, "family", "Family");
  });
  after(() => ts.stop());

  test("H63: a user's command list holds the contact invite only; an admin's all five", async () => {
    assert.deepEqual(await commandNodes(await ts.login("romeo"), "d1"), [[CONTACT, "Create new contact invite"]]);
    assert.deepEqual(await commandNodes(await ts.login("admin"), "d2"), [
      [CONTACT, "Create new contact invite"],
      [ACCOUNT, "Create new account invite"],
      [RESET, "Create password reset invite"],
      [LIST, "List invites"],
      [REVOKE, "Revoke an invite"],
    ]);
  });

  test("H63: a user of another host gets the completed 'only available' note, and no invite", async () => {
    const c = await ts.connect({ host: "other.example", ca: readFileSync(ts.server.certPath("other.example")!) });
    await c.authenticate("mallory", TEST_PASSWORD);
    await c.bind();
    assert.deepEqual(await commandNodes(c, "d3"), [], "nothing on example.com for mallory, admin of other.example");
    const before = (await inviteApi(ts).list(HOST)).length;
    c.send(`<iq type='set' id='r1' to='${HOST}'><command xmlns='${CMD}' node='${CONTACT}' action='execute'/></iq>`);
    await c.receives(
      `<iq type='result' id='r1' from='${HOST}'><command xmlns='${CMD}' node='${CONTACT}' sessionid='*' status='completed'>` +
        `<note type='error'>This command is only available to users of example.com</note></command></iq>`,
    );
    c.send(`<iq type='set' id='r2' to='${HOST}'><command xmlns='${CMD}' node='${ACCOUNT}' action='execute'/></iq>`);
    await c.receives(`<iq type='error' id='r2'><command xmlns='${CMD}' status='canceled'><etc/></command><error type='auth'><forbidden xmlns='${STANZAS}'/><etc/></error></iq>`);
    assert.equal((await inviteApi(ts).list(HOST)).length, before);
  });

  test("H64: a user's contact invite has no ibr=y and no landing page; the token works for a subscription only", async () => {
    const c = await ts.login("romeo");
    const r = await run(c, CONTACT, "c1", "", "action='execute'");
    const inv = invitation(r);
    assert.match(inv.uri, /^xmpp:romeo@example\.com\?roster;preauth=[A-Za-z0-9_-]{24}$/);
    assert.equal(inv.landing, undefined);
    const api = inviteApi(ts);
    const valid = await api.validateContact(HOST, "romeo", inv.token);
    assert.equal(valid?.kind, "contact-only");
    assert.equal(valid?.record.createdBy, "romeo@example.com");
    assert.equal(await api.validate(HOST, inv.token), undefined, "not a registration token");
  });

  test("an admin's contact invite carries ibr=y and registers accounts", async () => {
    const c = await ts.login("admin");
    const inv = invitation(await run(c, CONTACT, "c2", "", "action='execute'"));
    assert.match(inv.uri, /^xmpp:admin@example\.com\?roster;preauth=[A-Za-z0-9_-]+;ibr=y$/);
    assert.equal((await inviteApi(ts).validate(HOST, inv.token))?.kind, "account-and-contact");
  });

  test("H68: a restricted user gets a contact invite that cannot register accounts", async () => {
    const inv = invitation(await run(await ts.login("rita"), CONTACT, "c3", "", "action='execute'"));
    assert.doesNotMatch(inv.uri, /ibr=y/);
    assert.equal(await inviteApi(ts).validate(HOST, inv.token), undefined);
  });

  test("H66: a user may not create account invites (forbidden, as Prosody answers)", async () => {
    const c = await ts.login("romeo");
    c.send(`<iq type='set' id='a1' to='${HOST}'><command xmlns='${CMD}' node='${ACCOUNT}' action='execute'/></iq>`);
    await c.receives(
      `<iq type='error' id='a1' from='${HOST}'>` +
        `<command xmlns='${CMD}' node='${ACCOUNT}' status='canceled'><note type='error'>You don't have permission to execute this command</note></command>` +
        `<error type='auth'><forbidden xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>You don't have permission to execute this command</text></error></iq>`,
    );
  });

  test("H66, H67: an admin's one-step account invite (action=complete): result form, expire = expires (±1 s)", async () => {
    const c = await ts.login("admin");
    const inv = invitation(await run(c, ACCOUNT, "a2", "", "action='complete'"));
    assert.match(inv.uri, /^xmpp:example\.com\?register;preauth=[A-Za-z0-9_-]{24}$/);
    const valid = await inviteApi(ts).validate(HOST, inv.token);
    assert.ok(valid);
    assert.equal(valid.kind, "account");
    assert.equal(valid.record.createdBy, "admin@example.com");
    assert.ok(Math.abs(Date.parse(inv.expire) - valid.record.expires) <= 1000, `${inv.expire} vs ${new Date(valid.record.expires).toISOString()}`);
    assert.ok(Math.abs(valid.record.expires - Date.now() - 7 * 86_400_000) < 60_000, "one week by default");
  });

  test("account invite in two stages: the form, then a submission with username, roles, groups, ttl, note", async () => {
    const c = await ts.login("admin");
    const r1 = await run(c, ACCOUNT, "m1", "", "action='execute'");
    const cmd = r1.getChild("command", CMD)!;
    assert.equal(cmd.attrs.status, "executing");
    assert.equal(cmd.getChild("actions", CMD)?.attrs.execute, "complete");
    const form = cmd.getChild("x", XD)!;
    assert.equal(form.attrs.type, "form");
    assert.deepEqual(
      form.getChildren("field", XD).map((f) => [f.attrs.var, f.attrs.type]),
      [
        ["username", "text-single"],
        ["roster-subscription", "boolean"],
        ["roles", "text-multi"],
        ["groups", "text-multi"],
        ["ttl", "text-single"],
        ["reusable", "boolean"],
        ["max-uses", "text-single"],
        ["note", "text-single"],
      ],
    );
    const sid = cmd.attrs.sessionid!;
    const r2 = await run(
      c,
      ACCOUNT,
      "m2",
      submit({ username: "Juliet", "roster-subscription": "0", roles: ["prosody:admin", "user"], groups: ["family"], ttl: "2d", note: "for Juliet" }),
      `sessionid='${sid}'`,
    );
    const inv = invitation(r2);
    assert.equal(r2.getChild("command", CMD)!.attrs.sessionid, sid);
    assert.match(inv.uri, /^xmpp:juliet@example\.com\?register;preauth=/);
    const valid = await inviteApi(ts).validate(HOST, inv.token);
    assert.ok(valid);
    assert.equal(valid.record.boundUsername, "juliet");
    assert.deepEqual(valid.record.roles, ["admin", "user"]);
    assert.deepEqual(valid.record.groups, ["family"]);
    assert.equal(valid.record.note, "for Juliet");
    assert.ok(Math.abs(valid.record.expires - valid.record.createdAt - 2 * 86_400_000) < 1000);
    // The session is over.
    const r3 = await run(c, ACCOUNT, "m3", "", `sessionid='${sid}'`);
    assert.equal(r3.attrs.type, "error");
    assert.ok(r3.getChild("error")!.getChild("bad-sessionid", CMD));
  });

  test("account invite with roster-subscription: a contact invite of the admin that may register (ibr=y), reusable", async () => {
    const c = await ts.login("admin");
    const inv = invitation(await run(c, ACCOUNT, "m4", submit({ "roster-subscription": "true", reusable: "1", "max-uses": "3" }), "action='complete'"));
    assert.match(inv.uri, /^xmpp:admin@example\.com\?roster;preauth=[A-Za-z0-9_-]+;ibr=y$/);
    const valid = await inviteApi(ts).validate(HOST, inv.token);
    assert.equal(valid?.kind, "account-and-contact");
    assert.equal(valid?.record.reusable, true);
    assert.equal(valid?.record.maxUses, 3);
  });

  test("account invite: bad input answers with a note or an error naming the problem, and makes nothing", async () => {
    const c = await ts.login("admin");
    const before = (await inviteApi(ts).list(HOST)).length;
    assert.deepEqual(noteOf(await run(c, ACCOUNT, "b1", submit({ ttl: "banana" }))), { type: "error", text: "Field 'ttl': Unable to parse duration: banana" });
    assert.deepEqual(noteOf(await run(c, ACCOUNT, "b2", submit({ reusable: "perhaps" }))), { type: "error", text: "Field 'reusable': 'perhaps' is not a boolean" });
    assert.deepEqual(noteOf(await run(c, ACCOUNT, "b3", submit({ "max-uses": "0", reusable: "1" }))), {
      type: "error",
      text: "Field 'max-uses': must be between 1 and 1000000",
    });
    assert.deepEqual(noteOf(await run(c, ACCOUNT, "b4", submit({ "roster-subscription": "1", username: "x" }))), {
      type: "error",
      text: "A roster subscription cannot be combined with a username, roles or groups",
    });
    const taken = await run(c, ACCOUNT, "b5", submit({ username: "romeo" }));
    assert.equal(taken.attrs.type, "error");
    assert.ok(taken.getChild("error")!.getChild("bad-request", STANZAS));
    assert.match(taken.getChild("error")!.getChildText("text", STANZAS)!, /romeo@example\.com exists/);
    const badRole = await run(c, ACCOUNT, "b6", submit({ roles: "wizard" }));
    assert.ok(badRole.getChild("error")!.getChild("bad-request", STANZAS));
    assert.equal(badRole.getChild("error")!.getChildText("text", STANZAS), "Unknown role: wizard");
    const badGroup = await run(c, ACCOUNT, "b7", submit({ groups: "nosuch" }));
    assert.ok(badGroup.getChild("error")!.getChild("item-not-found", STANZAS));
    const badMax = await run(c, ACCOUNT, "b8", submit({ "max-uses": "2" }));
    assert.ok(badMax.getChild("error")!.getChild("bad-request", STANZAS), "max-uses without reusable");
    assert.equal((await inviteApi(ts).list(HOST)).length, before);
  });

  test("account invite: an unknown session id is bad-request/bad-sessionid", async () => {
    const c = await ts.login("admin");
    c.send(`<iq type='set' id='s1' to='${HOST}'><command xmlns='${CMD}' node='${ACCOUNT}' sessionid='bogus'>${submit({})}</command></iq>`);
    await c.receives(`<iq type='error' id='s1'><error type='modify'><bad-request xmlns='${STANZAS}'/><text xmlns='${STANZAS}'>*</text><bad-sessionid xmlns='${CMD}'/></error></iq>`);
  });

  test("F55: the reset form; a JID of another host is an error; a missing field is 'Fill in the form correctly'", async () => {
    const c = await ts.login("admin");
    const api = inviteApi(ts);
    const before = (await api.list(HOST)).length;
    c.send(`<iq type='set' id='f1' to='${HOST}'><command xmlns='${CMD}' node='${RESET}' action='execute'/></iq>`);
    const r1 = await c.receives(
      `<iq type='result' id='f1'><command xmlns='${CMD}' node='${RESET}' status='executing'><actions execute='complete'><complete/></actions>` +
        `<x xmlns='${XD}' type='form'><title>Generate Password Reset Invite</title><field var='accountjid' type='jid-single'><required/></field></x></command></iq>`,
    );
    const sid = r1.getChild("command", CMD)!.attrs.sessionid!;
    const other = await run(c, RESET, "f2", submit({ accountjid: "romeo@other.example" }), `sessionid='${sid}'`);
    assert.equal(other.attrs.type, "error");
    assert.ok(other.getChild("error")!.getChild("item-not-found", STANZAS));

    assert.deepEqual(noteOf(await run(c, RESET, "f3", "", "action='complete'")), { type: "error", text: "Fill in the form correctly" });
    assert.deepEqual(noteOf(await run(c, RESET, "f4", submit({ accountjid: "not@@valid" }))), { type: "error", text: "Fill in the form correctly" });
    assert.deepEqual(noteOf(await run(c, RESET, "f5", submit({ accountjid: HOST }))), { type: "error", text: "Fill in the form correctly" });
    const nobody = await run(c, RESET, "f6", submit({ accountjid: "nobody@example.com" }));
    assert.ok(nobody.getChild("error")!.getChild("item-not-found", STANZAS));
    assert.equal((await api.list(HOST)).length, before, "no invite was made");

    const user = await ts.login("romeo");
    const refused = await run(user, RESET, "f7", submit({ accountjid: "romeo@example.com" }));
    assert.ok(refused.getChild("error")!.getChild("forbidden", STANZAS));
  });

  test("a reset invite for an existing account, valid one day", async () => {
    const c = await ts.login("admin");
    const inv = invitation(await run(c, RESET, "f8", submit({ accountjid: "romeo@example.com/ignored" })));
    assert.match(inv.uri, /^xmpp:romeo@example\.com\?register;preauth=/);
    const valid = await inviteApi(ts).validate(HOST, inv.token);
    assert.equal(valid?.kind, "password-reset");
    assert.equal(valid?.record.resetUsername, "romeo");
    assert.ok(Math.abs(Date.parse(inv.expire) - Date.now() - 86_400_000) < 60_000);
  });

  test("listing and revoking invites (admins only)", async () => {
    const c = await ts.login("admin");
    const api = inviteApi(ts);
    const inv = invitation(await run(c, ACCOUNT, "l0", submit({ note: "to  revoke\nsoon" })));
    const record = (await api.validate(HOST, inv.token))!.record;
    const live = await api.list(HOST);

    const list = completed(await run(c, LIST, "l1"));
    const x = list.getChild("x", XD)!;
    assert.equal(x.attrs.type, "result");
    assert.equal(x.getChildText("title", XD), `${live.length} pending invites`);
    const field = (name: string) => x.getChildren("field", XD).find((f) => f.attrs.var === name)!;
    assert.equal(field("count").getChildText("value", XD), String(live.length));
    const lines = field("invites").getChildren("value", XD).map((v) => v.text());
    assert.equal(lines.length, live.length);
    assert.ok(lines.includes(`${record.id} account ${inv.expire} admin@example.com to revoke soon`), lines.join("\n"));
    assert.ok(lines.every((l) => !l.includes(inv.token)), "tokens are never listed");

    const r1 = await run(c, REVOKE, "v1", "", "action='execute'");
    const sid = r1.getChild("command", CMD)!.attrs.sessionid!;
    assert.deepEqual(noteOf(await run(c, REVOKE, "v2", submit({ id: record.id }), `sessionid='${sid}'`)), { type: "info", text: `Invite ${record.id} revoked` });
    assert.equal(await api.validate(HOST, inv.token), undefined, "the revoked token no longer works");
    assert.deepEqual(noteOf(await run(c, REVOKE, "v3", submit({ id: record.id }))), { type: "error", text: `No live invite matches '${record.id}'` });
    assert.deepEqual(noteOf(await run(c, REVOKE, "v4", "", "action='complete'")), { type: "error", text: "Field 'id': is required" });

    const user = await ts.login("romeo");
    assert.ok((await run(user, LIST, "v5")).getChild("error")!.getChild("forbidden", STANZAS));
    assert.ok((await run(user, REVOKE, "v6", submit({ id: record.id }))).getChild("error")!.getChild("forbidden", STANZAS));
  });

  test("a user's quota of live invites: policy-violation with the reason", async () => {
    const c = await ts.login("quinn");
    for (let i = 0; i < 3; i++) invitation(await run(c, CONTACT, `q${i}`));
    const r = await run(c, CONTACT, "q3");
    assert.equal(r.attrs.type, "error");
    assert.ok(r.getChild("error")!.getChild("policy-violation", STANZAS));
    assert.ok(r.getChild("error")!.getChildText("text", STANZAS));
  });
});

describe("invite commands with allow_user_invites = true and a landing page", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({
      configure: (c) => {
        c.invites.allowUserInvites = true;
        c.invites.pageUrl = "https://{host}/invite/{token}/";
      },
    });
    await ts.createUser("romeo");
    await ts.createUser("rita", undefined, "restricted");
  });
  after(() => ts.stop());

  test("H64: a user's contact invite carries ibr=y and the landing page", async () => {
    const inv = invitation(await run(await ts.login("romeo"), CONTACT, "u1"));
    assert.match(inv.uri, /^xmpp:romeo@example\.com\?roster;preauth=[A-Za-z0-9_-]+;ibr=y$/);
    assert.equal(inv.landing, `https://example.com/invite/${inv.token}/`);
    assert.equal((await inviteApi(ts).validate(HOST, inv.token))?.kind, "account-and-contact");
  });

  test("H68: a restricted user still cannot create invites that register accounts", async () => {
    const inv = invitation(await run(await ts.login("rita"), CONTACT, "u2"));
    assert.doesNotMatch(inv.uri, /ibr=y/);
  });
});

describe("invite commands with allow_contact_invites = false", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ configure: (c) => void (c.invites.allowContactInvites = false) });
    await ts.createUser("romeo");
    await ts.createUser("admin", undefined, "admin");
  });
  after(() => ts.stop());

  test("H65: a user is refused (forbidden) and is not offered the command; an admin succeeds", async () => {
    const romeo = await ts.login("romeo");
    assert.deepEqual(await commandNodes(romeo, "n1"), []);
    const r = await run(romeo, CONTACT, "n2", "", "action='execute'");
    assert.equal(r.attrs.type, "error");
    assert.ok(r.getChild("error")!.getChild("forbidden", STANZAS));
    const inv = invitation(await run(await ts.login("admin"), CONTACT, "n3", "", "action='execute'"));
    assert.match(inv.uri, /^xmpp:admin@example\.com\?roster;preauth=.*;ibr=y$/);
    // With the web server on (the default), the landing page is Hearth's own.
    const record = (await inviteApi(ts).validate(HOST, inv.token))!.record;
    assert.equal(inv.landing, inviteApi(ts).landingPageFor(record, inv.token));
    assert.ok(inv.landing?.endsWith(`/invite/${inv.token}/`), inv.landing);
  });
});
