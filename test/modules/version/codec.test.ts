import { test } from "node:test";
import assert from "node:assert/strict";
import { parseElement } from "../../../src/xml/parse-element.ts";
import { readFileSync } from "node:fs";
import { decodeVersion, encodeVersion } from "../../../src/modules/version/codec.ts";
import { hearthVersion } from "../../../src/modules/version/index.ts";

test("name and version, no os unless given", () => {
  const el = encodeVersion({ name: "Hearth", version: "1.2.3" });
  assert.equal(el.toString(), '<query xmlns="jabber:iq:version"><name>Hearth</name><version>1.2.3</version></query>');
  assert.deepEqual(decodeVersion(parseElement(el.toString())), { name: "Hearth", version: "1.2.3" });
  assert.deepEqual(decodeVersion(parseElement(encodeVersion({ name: "n", version: "v", os: "Linux" }).toString())), { name: "n", version: "v", os: "Linux" });
});

test("the version comes from package.json", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  assert.equal(hearthVersion(), pkg.version);
});
