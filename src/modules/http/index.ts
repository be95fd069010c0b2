// The shared web server (HTTP, and HTTPS with each host's certificate by SNI) that page and API modules mount on.
import { createHmac } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { defineModule } from "../../core/module.ts";
import { ensureServerSecret } from "../../core/server-secret.ts";
import { createHttpApp } from "../../http/app.ts";
import { baseUrlFor } from "../../http/public-url.ts";
import type { HttpApi } from "../../http/types.ts";

export default defineModule<HttpApi>({
  name: "http",
  xeps: [],
  async setup(ctx) {
    const { http } = ctx.config;
    const app = createHttpApp(ctx.config, ctx.log);
    const secret = createHmac("sha256", ensureServerSecret(ctx.config.dataDir)).update("hearth http").digest();
    const servers: { kind: "http" | "https"; server: Server }[] = [];

    if (http.enabled) {
      const listener = getRequestListener(app.fetch);
      const plain = createHttpServer(listener);
      servers.push({ kind: "http", server: plain });
      const context = ctx.tls.defaultContext;
      if (http.https && context) {
        const secure = createHttpsServer({ SNICallback: ctx.tls.sniCallback, minVersion: "TLSv1.2" }, listener);
        servers.push({ kind: "https", server: secure });
      }
    }

    // Listening waits for every module to have mounted its routes: Hono fixes its router at the first request.
    const listen = async (): Promise<void> => {
      for (const { kind, server } of servers) {
        server.headersTimeout = 20_000;
        server.requestTimeout = 30_000;
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen({ host: http.address, port: kind === "http" ? http.port : http.httpsPort }, () => {
            server.removeListener("error", reject);
            resolve();
          });
        });
        const addr = server.address() as AddressInfo;
        ctx.log.info({ kind, address: http.address, port: addr.port }, "web server listening");
      }
    };

    const port = (kind: "http" | "https"): number => {
      const s = servers.find((x) => x.kind === kind);
      if (!s) throw new Error(`no ${kind} listener`);
      return (s.server.address() as AddressInfo).port;
    };

    const api: HttpApi = {
      app,
      secret,
      port,
      publicBaseUrl(host: string): string {
        const kind = servers.some((s) => s.kind === "https") ? "https" : servers.length > 0 ? "http" : undefined;
        return baseUrlFor(http, host, kind === undefined ? undefined : { scheme: kind, port: port(kind) });
      },
    };

    return {
      api,
      hooks: { "server-started": listen },
      async stop() {
        await Promise.all(
          servers.map(
            ({ server }) =>
              new Promise<void>((resolve) => {
                if (!server.listening) return resolve();
                server.close(() => resolve());
                server.closeAllConnections();
              }),
          ),
        );
      },
    };
  },
});
