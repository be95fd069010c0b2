// XML element tree shared by the parser, codecs and modules, with an escaping serializer.

export type Node = Element | string;
export type Attrs = Record<string, string>;

export class Element {
  /** Local name, never prefixed. */
  name: string;
  /** Resolved namespace URI; undefined means "inherit the parent's" (only on built elements). */
  ns: string | undefined;
  /** Attributes by qualified name (`xml:lang`, `type`); namespace declarations are not kept here. */
  attrs: Attrs;
  children: Node[];

  constructor(name: string, ns?: string, attrs: Attrs = {}, children: Node[] = []) {
    this.name = name;
    this.ns = ns;
    this.attrs = attrs;
    this.children = children;
  }

  is(name: string, ns?: string): boolean {
    return this.name === name && (ns === undefined || this.ns === ns);
  }

  getChild(name: string, ns?: string): Element | undefined {
    for (const c of this.children) {
      if (typeof c !== "string" && c.name === name && (ns === undefined || c.ns === ns)) return c;
    }
    return undefined;
  }

  getChildren(name: string, ns?: string): Element[] {
    const out: Element[] = [];
    for (const c of this.children) {
      if (typeof c !== "string" && c.name === name && (ns === undefined || c.ns === ns)) out.push(c);
    }
    return out;
  }

  /** Child elements only (text nodes skipped). */
  elements(): Element[] {
    const out: Element[] = [];
    for (const c of this.children) if (typeof c !== "string") out.push(c);
    return out;
  }

  firstElement(): Element | undefined {
    for (const c of this.children) if (typeof c !== "string") return c;
    return undefined;
  }

  /** Concatenated direct text content. */
  text(): string {
    let s = "";
    for (const c of this.children) if (typeof c === "string") s += c;
    return s;
  }

  getChildText(name: string, ns?: string): string | undefined {
    return this.getChild(name, ns)?.text();
  }

  append(...nodes: (Node | undefined | null | false)[]): this {
    for (const n of nodes) if (n !== undefined && n !== null && n !== false) this.children.push(n);
    return this;
  }

  /** Deep copy: the clone shares nothing with the original. */
  clone(): Element {
    return new Element(
      this.name,
      this.ns,
      { ...this.attrs },
      this.children.map((c) => (typeof c === "string" ? c : c.clone())),
    );
  }

  /** Serialises as a standalone element whose context namespace is `parentNs`. */
  toString(parentNs?: string): string {
    return serialize(this, parentNs);
  }
}

/**
 * Builder: `x("iq", { type: "result", id }, x("query", { xmlns: NS.ROSTER }))`.
 * An `xmlns` attribute becomes the element's namespace; undefined attribute values are dropped.
 */
export function x(
  name: string,
  attrs?: Record<string, string | number | undefined | null> | null,
  ...children: (Node | Node[] | undefined | null | false)[]
): Element {
  const a: Attrs = {};
  let ns: string | undefined;
  if (attrs) {
    for (const k in attrs) {
      const v = attrs[k];
      if (v === undefined || v === null) continue;
      if (k === "xmlns") ns = String(v);
      else a[k] = String(v);
    }
  }
  const kids: Node[] = [];
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) kids.push(...c);
    else kids.push(c);
  }
  return new Element(name, ns, a, kids);
}

const ESC_TEXT = /[&<>]/g;
const ESC_ATTR = /[&<>"'\t\n\r]/g;
// Separate non-global twins: `test` on a /g regex is stateful.
const HAS_TEXT = /[&<>]/;
const HAS_ATTR = /[&<>"'\t\n\r]/;
const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

export function escapeText(s: string): string {
  return HAS_TEXT.test(s) ? s.replace(ESC_TEXT, (c) => ENTITIES[c]!) : s;
}

export function escapeAttr(s: string): string {
  return HAS_ATTR.test(s) ? s.replace(ESC_ATTR, (c) => ENTITIES[c]!) : s;
}

export function serialize(el: Element, parentNs?: string): string {
  let s = "<" + el.name;
  const ns = el.ns ?? parentNs;
  if (el.ns !== undefined && el.ns !== parentNs) s += ` xmlns="${escapeAttr(el.ns)}"`;
  for (const k in el.attrs) s += ` ${k}="${escapeAttr(el.attrs[k]!)}"`;
  if (el.children.length === 0) return s + "/>";
  s += ">";
  for (const c of el.children) s += typeof c === "string" ? escapeText(c) : serialize(c, ns);
  return s + "</" + el.name + ">";
}
