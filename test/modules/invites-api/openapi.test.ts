// The server against docs/openapi.json: every operation answers, right and wrong, only with documented
// statuses, headers and bodies; docs/api.md names every problem type.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { problemKinds } from "../../../src/modules/invites-api/problems.ts";
import type { CreatedApiKey } from "../../../src/modules/invites-api/keys.ts";
import { validate, type Schema } from "../../helpers/json-schema.ts";
import { HOST, startApiServer, type ApiServer } from "./support.ts";

const spec = JSON.parse(readFileSync(new URL("../../../docs/openapi.json", import.meta.url), "utf8"));
const apiDoc = readFileSync(new URL("../../../docs/api.md", import.meta.url), "utf8");

const METHODS = ["get", "post", "put", "patch", "delete"];
type Operation = { responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: Schema }> } };

function deref<T>(node: unknown): T {
  const ref = (node as { $ref?: string }).$ref;
  if (ref === undefined) return node as T;
  return deref(ref.slice(2).split("/").reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], spec));
}

function operation(method: string, path: string): Operation {
  const op = spec.paths[path]?.[method.toLowerCase()] as Operation | undefined;
  assert.ok(op, `${method} ${path} is not in docs/openapi.json`);
  return op;
}

/** Operation key → which kinds of answer the tests have checked. */
const seen = new Map<string, { success: number; error: number }>();

/** Checks one answer against the operation's documented responses. */
async function conforms(method: string, path: string, res: Response): Promise<unknown> {
  const where = `${method} ${path} → ${res.status}`;
  const op = operation(method, path);
  const documented = op.responses[String(res.status)];
  assert.ok(documented, `${where}: status not documented (${await res.clone().text()})`);
  const doc = deref<{ headers?: Record<string, { required?: boolean }>; content?: Record<string, { schema: Schema }> }>(documented);
  for (const [name, h] of Object.entries(doc.headers ?? {})) {
    if (h.required) assert.ok(res.headers.has(name), `${where}: header ${name} missing`);
  }
  let body: unknown;
  if (doc.content === undefined) {
    assert.equal(await res.text(), "", `${where}: documented without a body`);
  } else {
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const media = doc.content[type];
    assert.ok(media, `${where}: content type ${type} not documented`);
    body = await res.json();
    assert.deepEqual(validate(body, media.schema, spec), [], `${where}: body does not match the schema: ${JSON.stringify(body)}`);
  }
  const entry = seen.get(`${method.toUpperCase()} ${path}`) ?? { success: 0, error: 0 };
  if (res.status < 400) entry.success++;
  else entry.error++;
  seen.set(`${method.toUpperCase()} ${path}`, entry);
  return body;
}

/** A request body the documentation accepts (so the examples here are documented ones). */
function documentedBody(method: string, path: string, json: unknown): unknown {
  const schema = operation(method, path).requestBody?.content["application/json"]?.schema;
  assert.ok(schema, `${method} ${path}: no JSON request body documented`);
  assert.deepEqual(validate(json, schema, spec), [], `${JSON.stringify(json)} is not a documented request body`);
  return json;
}

describe("docs/openapi.json", () => {
  let s: ApiServer;
  let key: CreatedApiKey;
  let narrow: CreatedApiKey;
  before(async () => {
    s = await startApiServer({ configure: (c) => (c.http.maxBodyBytes = 2048) });
    key = await s.key();
    narrow = await s.key({ kinds: ["contact"], hosts: [HOST] });
    await s.ts.createUser("alice");
    await s.ts.server.storage.inviteTracking.record({ host: HOST, username: "bob", inviteId: "0123456789abcdef", invitedBy: `api:${key.record.id}`, at: Date.now() });
  });
  after(() => s.stop());

  const INV = "/api/v1/invites";
  const ONE = "/api/v1/invites/{id}";
  const TREE = "/api/v1/invites/tree";
  const COMPAT = "/invites_api";

  test("POST /api/v1/invites", async () => {
    const bodies = [
      { kind: "account", username: "zed", roles: ["user"], groups: [], note: "<b>n</b>", ttl: "3d", reusable: false },
      { kind: "account", reusable: true, max_uses: 5, ttl: 600 },
      { kind: "contact", inviter: "alice", ibr: true },
      { kind: "reset", username: "alice", ttl: "1h" },
    ];
    for (const b of bodies) {
      const res = await s.call("POST", INV, { key: key.credential, json: documentedBody("POST", INV, b) });
      assert.equal(res.status, 201);
      const created = (await conforms("POST", INV, res)) as { id: string };
      assert.equal(res.headers.get("location"), `/api/v1/invites/${created.id}`);
    }
    const errors: [Parameters<ApiServer["call"]>[2], number][] = [
      [{ json: { kind: "account" } }, 401],
      [{ key: "x.y", json: { kind: "account" } }, 401],
      [{ key: key.credential, json: { kind: "nope" } }, 400],
      [{ key: key.credential, body: "{", headers: { "Content-Type": "application/json" } }, 400],
      [{ key: key.credential, json: { kind: "account", roles: ["operator"] } }, 403],
      [{ key: narrow.credential, json: { kind: "account" } }, 403],
      [{ key: key.credential, json: { kind: "reset", username: "nobody" } }, 404],
      [{ key: key.credential, body: "{}", headers: { "Content-Type": "text/plain" } }, 415],
      [{ key: key.credential, body: JSON.stringify({ kind: "account", note: "x".repeat(3000) }), headers: { "Content-Type": "application/json", "Content-Length": "3035" } }, 413],
    ];
    for (const [opts, status] of errors) {
      const res = await s.call("POST", INV, opts);
      assert.equal(res.status, status, JSON.stringify(opts).slice(0, 120));
      await conforms("POST", INV, res);
    }
  });

  test("GET /api/v1/invites", async () => {
    const ok = await s.call("GET", INV, { key: key.credential });
    assert.equal(ok.status, 200);
    const list = (await conforms("GET", INV, ok)) as unknown[];
    assert.ok(list.length >= 4);
    assert.equal((await s.call("GET", `${INV}?host=other.example`, { key: narrow.credential })).status, 403);
    for (const [opts, path] of [[{}, INV], [{ key: key.credential }, `${INV}?host=nowhere.example`], [{ key: narrow.credential }, `${INV}?host=other.example`]] as const) {
      const res = await s.call("GET", path, opts);
      assert.ok(res.status >= 400);
      await conforms("GET", INV, res);
    }
  });

  test("GET /api/v1/invites/tree", async () => {
    const ok = await s.call("GET", TREE, { key: key.credential });
    assert.equal(ok.status, 200);
    const tree = (await conforms("GET", TREE, ok)) as unknown[];
    assert.equal(tree.length, 1);
    for (const [opts, path] of [[{}, TREE], [{ key: key.credential }, `${TREE}?host=nowhere.example`]] as const) {
      await conforms("GET", TREE, await s.call("GET", path, opts));
    }
  });

  test("GET and DELETE /api/v1/invites/{id}", async () => {
    const created = (await (await s.call("POST", INV, { key: key.credential, json: { kind: "account" } })).json()) as { id: string };
    const shown = await s.call("GET", `${INV}/${created.id}`, { key: key.credential });
    assert.equal(shown.status, 200);
    await conforms("GET", ONE, shown);
    const revoked = await s.call("DELETE", `${INV}/${created.id}`, { key: key.credential });
    assert.equal(revoked.status, 204);
    await conforms("DELETE", ONE, revoked);
    const afterwards = await s.call("GET", `${INV}/${created.id}`, { key: key.credential });
    assert.equal(((await conforms("GET", ONE, afterwards)) as { status: string }).status, "revoked");
    for (const method of ["GET", "DELETE"]) {
      for (const [opts, path] of [
        [{}, `${INV}/${created.id}`],
        [{ key: key.credential }, `${INV}/ffffffffffffffff`],
        [{ key: narrow.credential }, `${INV}/${created.id}`],
        [{ key: key.credential }, `${INV}/${created.id}?host=nowhere.example`],
      ] as const) {
        const res = await s.call(method, path, opts);
        assert.ok(res.status >= 400);
        await conforms(method, ONE, res);
      }
    }
  });

  test("GET /invites_api", async () => {
    const prosody = key.credential.replace(".", "/");
    for (const path of [COMPAT, `${COMPAT}?redirect=true`]) {
      const res = await s.call("GET", path, { key: prosody });
      assert.ok(res.status === 201 || res.status === 303);
      await conforms("GET", COMPAT, res);
    }
    for (const opts of [{}, { key: "bad" }, { key: narrow.credential }]) {
      const res = await s.call("GET", COMPAT, opts);
      assert.equal(res.status, 403);
      await conforms("GET", COMPAT, res);
    }
  });

  test("every documented operation was checked with a success and an error", () => {
    const documented: string[] = [];
    for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(item).filter((m) => METHODS.includes(m))) documented.push(`${method.toUpperCase()} ${path}`);
    }
    assert.equal(documented.length, 6);
    for (const op of documented) {
      const entry = seen.get(op);
      assert.ok(entry && entry.success > 0 && entry.error > 0, `${op}: ${JSON.stringify(entry)}`);
    }
    assert.deepEqual([...seen.keys()].sort(), documented.sort(), "no request to an undocumented operation");
  });

  test("every operation needs the bearer key, which is documented as a security scheme", () => {
    assert.equal(spec.openapi, "3.1.0");
    assert.equal(spec.components.securitySchemes.bearerAuth.scheme, "bearer");
    for (const item of Object.values(spec.paths as Record<string, Record<string, { security?: unknown }>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (METHODS.includes(method)) assert.deepEqual(op.security ?? spec.security, [{ bearerAuth: [] }]);
      }
    }
  });

  test("docs/api.md lists every problem type with its status, and a curl example for every operation", () => {
    for (const { name, status } of problemKinds()) {
      assert.match(apiDoc, new RegExp(`\\| \`${name}\` \\| ${status} \\|`), `problem ${name}`);
    }
    for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(item)) {
        const url = path.replace("{id}", "");
        const curl = apiDoc.split("```").some((block) => block.includes("curl") && block.includes(url) && (method === "get" ? true : block.includes(`-X ${method.toUpperCase()}`) || (method === "post" && block.includes("--json"))));
        assert.ok(curl, `no curl example for ${method.toUpperCase()} ${path}`);
      }
    }
  });
});
