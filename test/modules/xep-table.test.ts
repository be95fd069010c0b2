import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { XEP_DOC_COMMAND, renderXepDoc, renderXepTable } from "../../src/modules/xep-table.ts";
import { defaultModules } from "../../src/modules/index.ts";
import { CORE_SPECS } from "../../src/core/core-specs.ts";

test("RFCs first, then XEPs by number, one row per declaring module", () => {
  const md = renderXepTable([
    { name: "b", xeps: [{ xep: 203, version: "2.0" }, { xep: 30, version: "2.5rc3", note: "a | b" }] },
    { name: "a", xeps: [{ xep: "RFC 6121", version: "March 2011" }, { xep: 203, version: "2.0" }] },
    { name: "none" },
  ]);
  const lines = md.trimEnd().split("\n");
  assert.equal(lines[0], "| Specification | Version | Module | Notes |");
  assert.deepEqual(lines.slice(2), [
    "| [RFC 6121](https://www.rfc-editor.org/rfc/rfc6121) | March 2011 | `a` |  |",
    "| [XEP-0030](https://xmpp.org/extensions/xep-0030.html) | 2.5rc3 | `b` | a \\| b |",
    "| [XEP-0203](https://xmpp.org/extensions/xep-0203.html) | 2.0 | `a` |  |",
    "| [XEP-0203](https://xmpp.org/extensions/xep-0203.html) | 2.0 | `b` |  |",
  ]);
});

test("every default module that declares a spec shows up", () => {
  const md = renderXepTable(defaultModules);
  for (const m of defaultModules) {
    for (const x of m.xeps ?? []) assert.ok(md.includes(`| ${x.version} | \`${m.name}\` |`), `${m.name} ${x.xep}`);
  }
});

test("docs/xeps.md is the table generated from the default modules", () => {
  const onDisk = readFileSync(new URL("../../docs/xeps.md", import.meta.url), "utf8");
  assert.equal(onDisk, renderXepDoc([CORE_SPECS, ...defaultModules]), `docs/xeps.md is stale; regenerate it with: ${XEP_DOC_COMMAND}`);
});
