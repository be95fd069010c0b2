import { test } from "node:test";
import assert from "node:assert/strict";
import type { LoadedModuleInfo } from "../../../src/core/module.ts";
import { declaredInfo, mergeInfo } from "../../../src/modules/disco/collect.ts";

const modules: LoadedModuleInfo[] = [
  { name: "disco", xeps: [], disco: { identities: [{ category: "server", type: "im", name: "Hearth" }], features: ["d#info", "d#items"], accountFeatures: ["d#info"] } },
  { name: "ping", xeps: [], disco: { features: ["urn:xmpp:ping"] } },
  { name: "vcard", xeps: [], disco: { features: ["vcard-temp"], accountFeatures: ["vcard-temp"] } },
  { name: "quiet", xeps: [], disco: {} },
];

test("host info collects every module's identities and domain features", () => {
  const info = declaredInfo(modules, "host");
  assert.deepEqual(info.identities, [{ category: "server", type: "im", name: "Hearth" }]);
  assert.deepEqual(info.features, ["d#info", "d#items", "urn:xmpp:ping", "vcard-temp"]);
});

test("account info collects only account features", () => {
  const info = declaredInfo(modules, "account");
  assert.deepEqual(info.identities, []);
  assert.deepEqual(info.features, ["d#info", "vcard-temp"]);
});

test("merging removes duplicates and sorts features", () => {
  const merged = mergeInfo([
    { identities: [{ category: "account", type: "registered" }], features: ["z", "a"] },
    { identities: [{ category: "account", type: "registered" }, { category: "pubsub", type: "pep" }], features: ["a", "m"] },
    {},
  ]);
  assert.deepEqual(merged.identities, [{ category: "account", type: "registered" }, { category: "pubsub", type: "pep" }]);
  assert.deepEqual(merged.features, ["a", "m", "z"]);
  assert.deepEqual(merged.extensions, []);
});
