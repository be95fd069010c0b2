// A small JSON Schema checker for the subset docs/openapi.json uses: $ref, type (one or a list), const, enum,
// required, properties, additionalProperties: false, items, pattern, format date-time / uri, oneOf.
// Anything else in a schema is an error, so the documentation cannot use a keyword the tests would ignore.

export type Schema = Record<string, unknown>;

const CHECKED = new Set(["$ref", "type", "const", "enum", "required", "properties", "additionalProperties", "items", "pattern", "format", "oneOf"]);
const ANNOTATIONS = new Set(["description", "examples", "discriminator", "title", "minimum", "maxLength", "minLength", "maxItems"]);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(actual: string, wanted: string): boolean {
  return actual === wanted || (wanted === "number" && actual === "integer");
}

/** Resolves `#/a/b` refs against `root` (the OpenAPI document). */
function resolve(root: unknown, ref: string): Schema {
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) node = (node as Record<string, unknown>)?.[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  return node as Schema;
}

/** Every way `value` fails `schema`, as "path: reason" strings; empty when it conforms. */
export function validate(value: unknown, schema: Schema, root: unknown, path = "$"): string[] {
  for (const k of Object.keys(schema)) {
    if (!CHECKED.has(k) && !ANNOTATIONS.has(k)) throw new Error(`schema keyword '${k}' at ${path} is not supported by the checker`);
  }
  if (typeof schema.$ref === "string") return validate(value, resolve(root, schema.$ref), root, path);
  const errors: string[] = [];
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const wanted = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!wanted.some((w) => typeMatches(actual, w))) return [`${path}: is ${actual}, expected ${wanted.join(" or ")}`];
  }
  if ("const" in schema && value !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === "string") {
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
    if (schema.format === "date-time" && !(DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)))) errors.push(`${path}: not a date-time`);
    if (schema.format === "uri" && !URL.canParse(value)) errors.push(`${path}: not a URI`);
  }
  if (actual === "object") {
    const obj = value as Record<string, unknown>;
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (!(name in obj)) errors.push(`${path}: missing ${name}`);
    }
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [name, v] of Object.entries(obj)) {
      if (name in props) errors.push(...validate(v, props[name]!, root, `${path}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property ${name}`);
    }
  }
  if (actual === "array" && schema.items !== undefined) {
    (value as unknown[]).forEach((item, i) => errors.push(...validate(item, schema.items as Schema, root, `${path}[${i}]`)));
  }
  if (Array.isArray(schema.oneOf)) {
    const matching = (schema.oneOf as Schema[]).filter((s) => validate(value, s, root, path).length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} of the oneOf schemas, expected exactly 1`);
  }
  return errors;
}
