// The XEP/RFC support table (docs/xeps.md), generated from what each module declares in `xeps`.
import type { XepSupport } from "../core/module.ts";

export interface DeclaresXeps {
  name: string;
  xeps?: readonly XepSupport[];
}

interface Row {
  spec: string;
  link: string;
  sortKey: [number, number];
  version: string;
  module: string;
  note: string;
}

function describe(xep: XepSupport["xep"]): Pick<Row, "spec" | "link" | "sortKey"> {
  if (typeof xep === "number") {
    const n = String(xep).padStart(4, "0");
    return { spec: `XEP-${n}`, link: `https://xmpp.org/extensions/xep-${n}.html`, sortKey: [1, xep] };
  }
  const rfc = /^RFC\s*(\d+)$/i.exec(xep.trim());
  if (rfc) return { spec: `RFC ${rfc[1]}`, link: `https://www.rfc-editor.org/rfc/rfc${rfc[1]}`, sortKey: [0, Number(rfc[1])] };
  return { spec: xep, link: "", sortKey: [2, 0] };
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** A Markdown table: RFCs first, then XEPs by number, one row per module that declares the spec. */
export function renderXepTable(modules: readonly DeclaresXeps[]): string {
  const rows: Row[] = [];
  for (const m of modules) {
    for (const x of m.xeps ?? []) rows.push({ ...describe(x.xep), version: x.version, module: m.name, note: x.note ?? "" });
  }
  rows.sort((a, b) => a.sortKey[0] - b.sortKey[0] || a.sortKey[1] - b.sortKey[1] || a.spec.localeCompare(b.spec) || a.module.localeCompare(b.module));
  const lines = ["| Specification | Version | Module | Notes |", "|---|---|---|---|"];
  for (const r of rows) {
    const spec = r.link ? `[${r.spec}](${r.link})` : cell(r.spec);
    lines.push(`| ${spec} | ${cell(r.version)} | \`${cell(r.module)}\` | ${cell(r.note)} |`);
  }
  return lines.join("\n") + "\n";
}
