import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJid } from "../../../src/xmpp/jid.ts";
import { NS } from "../../../src/xmpp/namespaces.ts";
import { DiscoProviders } from "../../../src/modules/disco/providers.ts";
import type { DiscoRequest } from "../../../src/modules/disco/api.ts";

const req = (node: string, from = "romeo@example.com/a"): DiscoRequest => ({
  from: parseJid(from),
  to: parseJid("example.com"),
  node,
  origin: undefined,
});

test("a node exists once a provider is added, per target, and stops existing when removed", async () => {
  const p = new DiscoProviders();
  assert.equal(p.has("host", NS.COMMANDS), false);
  const remove = p.addItemsProvider(NS.COMMANDS, (r) => [{ jid: r.to.toString(), node: "cmd1", name: `for ${r.from.bareString()}` }]);
  assert.equal(p.has("host", NS.COMMANDS), true);
  assert.equal(p.has("account", NS.COMMANDS), false);
  assert.deepEqual(await p.itemsFor("host", req(NS.COMMANDS)), [{ jid: "example.com", node: "cmd1", name: "for romeo@example.com" }]);
  remove();
  assert.equal(p.has("host", NS.COMMANDS), false);
  assert.deepEqual(await p.itemsFor("host", req(NS.COMMANDS)), []);
});

test("several providers on one node are concatenated in order; async ones too", async () => {
  const p = new DiscoProviders();
  p.addItemsProvider("", () => [{ jid: "a.example.com" }]);
  p.addItemsProvider("", async () => [{ jid: "b.example.com" }]);
  assert.deepEqual((await p.itemsFor("host", req(""))).map((i) => i.jid), ["a.example.com", "b.example.com"]);
});

test("info providers count as the node existing and contribute their parts", async () => {
  const p = new DiscoProviders();
  p.addInfoProvider("n", () => ({ identities: [{ category: "automation", type: "command-list" }] }), "account");
  assert.equal(p.has("account", "n"), true);
  assert.deepEqual(await p.infoFor("account", req("n")), [{ identities: [{ category: "automation", type: "command-list" }] }]);
  assert.deepEqual(await p.infoFor("host", req("n")), []);
});
