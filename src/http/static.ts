// Our own assets (CSS, script, logos): served by Hearth, never from a third-party CDN.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";
import type { HttpEnv } from "./types.ts";

const DIR = fileURLToPath(new URL("./static/", import.meta.url));
const SAFE = /^(?:[a-z0-9-]+\/)?[a-z0-9][a-z0-9.-]*\.(css|js|svg|png)$/;
const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
};

export function mountStatic(app: Hono<HttpEnv>): void {
  const cache = new Map<string, Buffer>();
  app.get("/static/*", async (c) => {
    const name = c.req.path.slice("/static/".length);
    const m = SAFE.exec(name);
    if (!m || name.includes("..")) return c.notFound();
    let body = cache.get(name);
    if (!body) {
      try {
        body = await readFile(DIR + name);
      } catch {
        return c.notFound();
      }
      cache.set(name, body);
    }
    return c.body(new Uint8Array(body), 200, {
      "Content-Type": TYPES[m[1]!]!,
      "Cache-Control": "public, max-age=3600",
    });
  });
}
