// The tests' JSON Schema checker finds what it must, so that the OpenAPI conformance tests can fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { validate } from "./json-schema.ts";

const root = {
  components: {
    schemas: {
      Thing: {
        type: "object",
        additionalProperties: false,
        required: ["id", "at", "tags"],
        properties: {
          id: { type: "string", pattern: "^[0-9a-f]{4}$" },
          at: { type: "string", format: "date-time" },
          tags: { type: "array", items: { type: "string" } },
          kind: { type: "string", enum: ["a", "b"] },
          n: { type: ["integer", "null"] },
          child: { $ref: "#/components/schemas/Thing" },
        },
      },
    },
  },
};
const Thing = { $ref: "#/components/schemas/Thing" };
const good = { id: "ab12", at: "2030-01-01T00:00:00.000Z", tags: ["x"], kind: "a", n: null };

test("a conforming value has no errors, recursively through $ref", () => {
  assert.deepEqual(validate(good, Thing, root), []);
  assert.deepEqual(validate({ ...good, n: 3, child: { ...good, tags: [] } }, Thing, root), []);
});

test("each kind of mismatch is reported with its path", () => {
  const cases: [unknown, RegExp][] = [
    [{ ...good, id: "xyz" }, /\$\.id: does not match/],
    [{ ...good, at: "yesterday" }, /\$\.at: not a date-time/],
    [{ ...good, tags: ["x", 1] }, /\$\.tags\[1\]: is integer, expected string/],
    [{ ...good, kind: "c" }, /\$\.kind: "c" is not one of/],
    [{ ...good, n: 1.5 }, /\$\.n: is number, expected integer or null/],
    [{ ...good, extra: true }, /unexpected property extra/],
    [{ id: "ab12", at: good.at }, /missing tags/],
    [{ ...good, child: { ...good, id: 5 } }, /\$\.child\.id: is integer/],
    [[], /is array, expected object/],
  ];
  for (const [value, error] of cases) {
    const errors = validate(value, Thing, root);
    assert.ok(errors.some((e) => error.test(e)), `${JSON.stringify(value)}: ${JSON.stringify(errors)}`);
  }
});

test("oneOf wants exactly one match; const and unsupported keywords", () => {
  const s = { oneOf: [{ type: "object", properties: { k: { const: "a" } }, required: ["k"] }, { type: "object", properties: { k: { const: "b" } }, required: ["k"] }] };
  assert.deepEqual(validate({ k: "a" }, s, root), []);
  assert.equal(validate({ k: "c" }, s, root).length, 1);
  assert.throws(() => validate(1, { type: "integer", multipleOf: 2 }, root), /multipleOf/);
  assert.throws(() => validate(1, { $ref: "#/components/schemas/Nope" }, root), /dangling/);
});
