// The shared web layer: headers on every response, error pages, static files, languages, limits, proxies.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request as httpsRequest } from "node:https";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import type { HttpApi } from "../../src/http/types.ts";
import { negotiate } from "../../src/http/i18n/index.ts";

describe("web server", () => {
  let ts: TestServer;
  let http: HttpApi;
  before(async () => {
    ts = await startTestServer({
      configure: (c) => {
        c.http.maxBodyBytes = 2048;
        c.http.rateLimit = { max: 40, windowSeconds: 60 };
        c.http.trustedProxies = ["127.0.0.1"];
      },
    });
    http = ts.server.modules.api<HttpApi>("http")!;
  });
  after(() => ts.stop());

  const get = (path: string, headers: Record<string, string> = {}) => http.app.request(path, { headers });

  test("every response carries the security headers", async () => {
    const res = await get("/no-such-page");
    assert.equal(res.status, 404);
    const csp = res.headers.get("content-security-policy")!;
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  });

  test("unknown pages get a translated 404 page", async () => {
    const en = await get("/nothing-here");
    assert.match(await en.text(), /<h1>Not found<\/h1>/);
    const de = await get("/nothing-here", { "Accept-Language": "de-DE,de;q=0.9,en;q=0.5" });
    const body = await de.text();
    assert.match(body, /<html lang="de">/);
    assert.match(body, /<h1>Nicht gefunden<\/h1>/);
  });

  test("our own stylesheet and script are served; nothing else from the static folder", async () => {
    const css = await get("/static/hearth.css");
    assert.equal(css.status, 200);
    assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
    const js = await get("/static/hearth.js");
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal((await get("/static/../app.ts")).status, 404);
    assert.equal((await get("/static/%2e%2e/app.ts")).status, 404);
    assert.equal((await get("/static/nope.css")).status, 404);
  });

  test("a request body over the limit gets 413", async () => {
    const res = await http.app.request("/anything", {
      method: "POST",
      body: "x".repeat(5000),
      headers: { "Content-Type": "text/plain", "Content-Length": "5000" },
    });
    assert.equal(res.status, 413);
  });

  test("a client over the rate limit gets 429 with Retry-After; others are unaffected", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 45; i++) last = await get("/static/hearth.css", { "X-Forwarded-For": "203.0.113.9" });
    assert.equal(last!.status, 429);
    assert.ok(Number(last!.headers.get("retry-after")) >= 1);
    assert.equal((await get("/static/hearth.css", { "X-Forwarded-For": "203.0.113.10" })).status, 200);
  });

  test("JSON API paths answer errors as problem documents", async () => {
    const res = await get("/api/nothing");
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    assert.deepEqual(await res.json(), { type: "about:blank", title: "Not found", status: 404 });
  });

  test("HTTP and HTTPS listeners answer on real sockets, HTTPS with the host's certificate", async () => {
    const plain = await fetch(`http://127.0.0.1:${http.port("http")}/static/hearth.css`);
    assert.equal(plain.status, 200);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        { host: "127.0.0.1", port: http.port("https"), path: "/static/hearth.css", servername: ts.host, ca: ts.ca },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on("error", reject);
      req.end();
    });
    assert.equal(status, 200);
    assert.equal(http.publicBaseUrl("example.com"), `https://example.com:${http.port("https")}`);
  });
});

describe("Accept-Language negotiation", () => {
  test("picks the best available language by weight, region and order", () => {
    const available = ["en", "de"];
    assert.equal(negotiate(undefined, available), "en");
    assert.equal(negotiate("de", available), "de");
    assert.equal(negotiate("de-AT", available), "de");
    assert.equal(negotiate("fr, de;q=0.8, en;q=0.5", available), "de");
    assert.equal(negotiate("en;q=0.1, de;q=0.9", available), "de");
    assert.equal(negotiate("fr", available), "en");
    assert.equal(negotiate("de;q=0", available), "en");
    assert.equal(negotiate("*", available), "en");
  });
});
