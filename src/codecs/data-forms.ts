// XEP-0004 2.13.2 data forms: typed decode/encode of <x xmlns='jabber:x:data'/> and typed reading of submitted values.
import { type Element, x } from "../xml/element.ts";
import { type Jid, tryParseJid } from "../xmpp/jid.ts";
import { NS } from "../xmpp/namespaces.ts";

export type FormType = "form" | "submit" | "cancel" | "result";

export type FieldType =
  | "boolean"
  | "fixed"
  | "hidden"
  | "jid-multi"
  | "jid-single"
  | "list-multi"
  | "list-single"
  | "text-multi"
  | "text-private"
  | "text-single";

export interface FieldOption {
  value: string;
  label?: string;
}

export interface FormField {
  /** Absent only on `fixed` fields. */
  var?: string;
  /** Absent on the wire means text-single (XEP-0004 §3.3); submissions usually leave it out. */
  type?: FieldType;
  label?: string;
  desc?: string;
  required?: boolean;
  values: string[];
  options?: FieldOption[];
}

export interface DataForm {
  type: FormType;
  title?: string;
  instructions?: string[];
  fields: FormField[];
}

const FORM_TYPES: readonly string[] = ["form", "submit", "cancel", "result"];
const FIELD_TYPES: readonly string[] = [
  "boolean",
  "fixed",
  "hidden",
  "jid-multi",
  "jid-single",
  "list-multi",
  "list-single",
  "text-multi",
  "text-private",
  "text-single",
];
const MULTI: readonly FieldType[] = ["jid-multi", "list-multi", "text-multi"];

/** A form that does not parse or does not fit its definition; `field` names the culprit when there is one. */
export class FormError extends Error {
  override name = "FormError";
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(field === undefined ? message : `Field '${field}': ${message}`);
    this.field = field;
  }
}

/** The first `<x xmlns='jabber:x:data'/>` child of `parent`. */
export function findForm(parent: Element): Element | undefined {
  return parent.getChild("x", NS.DATA_FORMS);
}

export function decodeForm(el: Element): DataForm {
  if (!el.is("x", NS.DATA_FORMS)) throw new FormError("Not a data form");
  const type = el.attrs.type;
  if (type === undefined || !FORM_TYPES.includes(type)) throw new FormError(`Unknown form type '${type ?? ""}'`);
  const form: DataForm = { type: type as FormType, fields: [] };
  const seen = new Set<string>();
  for (const c of el.elements()) {
    if (c.ns !== NS.DATA_FORMS) continue;
    if (c.name === "title") form.title = c.text();
    else if (c.name === "instructions") (form.instructions ??= []).push(c.text());
    else if (c.name === "field") {
      const field = decodeField(c);
      if (field.var !== undefined) {
        if (seen.has(field.var)) throw new FormError("appears twice", field.var);
        seen.add(field.var);
      }
      form.fields.push(field);
    }
    // <reported/> and <item/> (multi-item results) are not used by Hearth and are skipped.
  }
  return form;
}

function decodeField(el: Element): FormField {
  const { var: name, type, label } = el.attrs;
  if (type !== undefined && !FIELD_TYPES.includes(type)) throw new FormError(`unknown type '${type}'`, name);
  if (name === undefined && type !== "fixed") throw new FormError(`A field of type '${type ?? "text-single"}' needs a var`);
  const field: FormField = { values: [] };
  if (name !== undefined) field.var = name;
  if (type !== undefined) field.type = type as FieldType;
  if (label !== undefined) field.label = label;
  for (const c of el.elements()) {
    if (c.ns !== NS.DATA_FORMS) continue;
    if (c.name === "value") field.values.push(c.text());
    else if (c.name === "desc") field.desc = c.text();
    else if (c.name === "required") field.required = true;
    else if (c.name === "option") {
      const value = c.getChildText("value", NS.DATA_FORMS);
      if (value === undefined) throw new FormError("an option needs a value", name);
      const opt: FieldOption = { value };
      if (c.attrs.label !== undefined) opt.label = c.attrs.label;
      (field.options ??= []).push(opt);
    }
  }
  return field;
}

export function encodeForm(form: DataForm): Element {
  const el = x("x", { xmlns: NS.DATA_FORMS, type: form.type });
  if (form.title !== undefined) el.children.push(x("title", null, form.title));
  for (const i of form.instructions ?? []) el.children.push(x("instructions", null, i));
  for (const f of form.fields) el.children.push(encodeField(f));
  return el;
}

function encodeField(f: FormField): Element {
  return x(
    "field",
    { var: f.var, type: f.type, label: f.label },
    f.desc !== undefined ? x("desc", null, f.desc) : undefined,
    f.required ? x("required") : undefined,
    f.values.map((v) => x("value", null, v)),
    (f.options ?? []).map((o) => x("option", { label: o.label }, x("value", null, o.value))),
  );
}

export function getField(form: DataForm, name: string): FormField | undefined {
  return form.fields.find((f) => f.var === name);
}

/** The FORM_TYPE hidden field's value (XEP-0068), if any. */
export function formTypeOf(form: DataForm): string | undefined {
  return getField(form, "FORM_TYPE")?.values[0];
}

/** A hidden FORM_TYPE field, to open a form with. */
export function formTypeField(value: string): FormField {
  return { var: "FORM_TYPE", type: "hidden", values: [value] };
}

// Typed readers. Each takes the field as submitted; an absent field or one with no value reads as undefined
// (or [] for the multi-valued kinds). Values that do not fit throw a FormError naming the field.

function single(form: DataForm, name: string): string | undefined {
  const f = getField(form, name);
  if (!f || f.values.length === 0) return undefined;
  if (f.values.length > 1) throw new FormError("takes one value", name);
  return f.values[0];
}

/** text-single, text-private, list-single, hidden: the value; an empty string reads as undefined. */
export function readText(form: DataForm, name: string): string | undefined {
  const v = single(form, name);
  return v === undefined || v === "" ? undefined : v;
}

/** text-multi: the lines joined with "\n" (XEP-0004 §3.3), undefined when there are none. */
export function readTextMulti(form: DataForm, name: string): string | undefined {
  const f = getField(form, name);
  if (!f || f.values.length === 0) return undefined;
  return f.values.join("\n");
}

/** boolean: "1"/"true" and "0"/"false" (XEP-0004 §3.3). */
export function readBoolean(form: DataForm, name: string): boolean | undefined {
  const v = single(form, name);
  if (v === undefined || v === "") return undefined;
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  throw new FormError(`'${v}' is not a boolean`, name);
}

/** jid-single: a valid, prepared JID. */
export function readJid(form: DataForm, name: string): Jid | undefined {
  const v = single(form, name);
  if (v === undefined || v === "") return undefined;
  const jid = tryParseJid(v);
  if (!jid) throw new FormError(`'${v}' is not a valid JID`, name);
  return jid;
}

/** jid-multi: every value a valid JID. */
export function readJids(form: DataForm, name: string): Jid[] {
  return readList(form, name).map((v) => {
    const jid = tryParseJid(v);
    if (!jid) throw new FormError(`'${v}' is not a valid JID`, name);
    return jid;
  });
}

/** list-multi / text-multi as a list: the non-empty values, in order. */
export function readList(form: DataForm, name: string): string[] {
  return (getField(form, name)?.values ?? []).filter((v) => v !== "");
}

/** text-single holding a whole number in [min, max]. */
export function readInteger(form: DataForm, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = readText(form, name);
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v.trim())) throw new FormError(`'${v}' is not a whole number`, name);
  const n = Number(v.trim());
  if (n < min || n > max) throw new FormError(`must be between ${min} and ${max}`, name);
  return n;
}

/**
 * Checks a submission against the form that was offered: FORM_TYPE matches, required fields have a value,
 * single-valued fields have at most one, booleans and JIDs parse, list values are among the options.
 * Returns the submission with each known field's type taken from the definition (submitters may omit it);
 * fields the definition does not have are dropped.
 */
export function validateSubmission(definition: DataForm, submitted: DataForm): DataForm {
  if (submitted.type !== "submit") throw new FormError(`Expected a submitted form, got type '${submitted.type}'`);
  const wantType = formTypeOf(definition);
  const gotType = formTypeOf(submitted);
  if (wantType !== undefined && gotType !== undefined && gotType !== wantType) {
    throw new FormError(`'${gotType}' instead of '${wantType}'`, "FORM_TYPE");
  }
  const out: DataForm = { type: "submit", fields: [] };
  for (const def of definition.fields) {
    if (def.var === undefined || def.type === "fixed") continue;
    const type = def.type ?? "text-single";
    const got = getField(submitted, def.var);
    const values = got?.values ?? [];
    const nonEmpty = values.filter((v) => v !== "");
    if (def.required && nonEmpty.length === 0 && def.var !== "FORM_TYPE") throw new FormError("is required", def.var);
    if (!got) continue;
    if (!MULTI.includes(type) && values.length > 1) throw new FormError("takes one value", def.var);
    const field: FormField = { var: def.var, type, values };
    checkValues(field, def);
    out.fields.push(field);
  }
  return out;
}

function checkValues(field: FormField, def: FormField): void {
  const name = field.var!;
  const type = field.type;
  if (type === "boolean") readBoolean({ type: "submit", fields: [field] }, name);
  else if (type === "jid-single") readJid({ type: "submit", fields: [field] }, name);
  else if (type === "jid-multi") readJids({ type: "submit", fields: [field] }, name);
  else if ((type === "list-single" || type === "list-multi") && def.options && def.options.length > 0) {
    const allowed = new Set(def.options.map((o) => o.value));
    for (const v of field.values) if (v !== "" && !allowed.has(v)) throw new FormError(`'${v}' is not one of the options`, name);
  }
}
