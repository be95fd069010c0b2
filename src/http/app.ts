// The root web app: shared middleware in a fixed order, error pages, static files. Modules add routes.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Config } from "../core/config/index.ts";
import type { Logger } from "../core/logger.ts";
import { clientInfo } from "./client.ts";
import { negotiate, translator } from "./i18n/index.ts";
import "./i18n/core-messages.ts";
import { WindowCounter, rateLimit } from "./rate-limit.ts";
import { messagePage } from "./render.tsx";
import { securityHeaders } from "./security-headers.ts";
import { mountStatic } from "./static.ts";
import type { HttpEnv } from "./types.ts";

/** JSON API routes answer errors as RFC 9457 problem documents instead of pages. */
function wantsJson(path: string): boolean {
  return path.startsWith("/api/") || path.startsWith("/register_api/");
}

export function problem(status: number, title: string, detail?: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, ...(detail ? { detail } : {}), ...extra }), {
    status,
    headers: { "Content-Type": "application/problem+json" },
  });
}

export function createHttpApp(config: Config, log: Logger): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.use(securityHeaders());
  app.use(clientInfo(config));
  app.use(async (c, next) => {
    const lang = negotiate(c.req.header("accept-language"));
    c.set("lang", lang);
    c.set("t", translator(lang));
    await next();
    c.res.headers.append("Vary", "Accept-Language");
  });
  const general = new WindowCounter({ max: config.http.rateLimit.max, windowMs: config.http.rateLimit.windowSeconds * 1000 });
  app.use(
    rateLimit(general, (c) => (wantsJson(c.req.path) ? problem(429, "Too many requests") : messagePage(c, config, "tooMany", 429))),
  );
  app.use(
    bodyLimit({
      maxSize: config.http.maxBodyBytes,
      onError: (c) => (wantsJson(c.req.path) ? problem(413, "Request too large") : messagePage(c, config, "tooLarge", 413)),
    }),
  );
  mountStatic(app);
  app.notFound((c) => (wantsJson(c.req.path) ? problem(404, "Not found") : messagePage(c, config, "notFound", 404)));
  app.onError((err, c) => {
    // The route pattern, never the path: paths can carry invite tokens.
    log.error({ err, route: c.req.routePath }, "web request failed");
    return wantsJson(c.req.path) ? problem(500, "Internal server error") : messagePage(c, config, "error", 500);
  });
  return app;
}
