// TCP (STARTTLS) and Direct TLS (XEP-0368) listeners, with a per-IP connection limit. Nothing about stanzas.
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import type { ListenerConfig } from "../core/config/index.ts";
import type { Logger } from "../core/logger.ts";
import type { TlsContexts } from "./tls-contexts.ts";

export interface BoundListener {
  kind: ListenerConfig["kind"];
  address: string;
  port: number;
  server: Server;
}

export interface ListenOptions {
  listeners: ListenerConfig[];
  tls: TlsContexts;
  maxConnectionsPerIp: number;
  log: Logger;
  onConnection(socket: Socket, directTls: boolean): void;
}

export async function listen(opts: ListenOptions): Promise<BoundListener[]> {
  const perIp = new Map<string, number>();
  const admit = (socket: Socket): boolean => {
    const ip = socket.remoteAddress ?? "?";
    const n = (perIp.get(ip) ?? 0) + 1;
    if (opts.maxConnectionsPerIp > 0 && n > opts.maxConnectionsPerIp) {
      socket.destroy();
      return false;
    }
    perIp.set(ip, n);
    socket.once("close", () => {
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left <= 0) perIp.delete(ip);
      else perIp.set(ip, left);
    });
    return true;
  };

  const bound: BoundListener[] = [];
  for (const l of opts.listeners) {
    let server: Server;
    if (l.kind === "directtls") {
      const ctx = opts.tls.defaultContext;
      if (!ctx) throw new Error("Direct TLS listener needs a certificate");
      server = createTlsServer(
        { SNICallback: opts.tls.sniCallback, ALPNProtocols: ["xmpp-client"], minVersion: "TLSv1.2" },
        (socket) => {
          if (admit(socket)) opts.onConnection(socket, true);
        },
      );
      server.on("tlsClientError", (err) => opts.log.debug({ err: err.message }, "TLS handshake failed"));
    } else {
      server = createTcpServer({ noDelay: true }, (socket) => {
        if (admit(socket)) opts.onConnection(socket, false);
      });
    }
    server.maxConnections = 100_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: l.address, port: l.port, backlog: 1024 }, () => {
        server.removeListener("error", reject);
        resolve();
      });
    });
    const addr = server.address();
    const port = typeof addr === "object" && addr ? addr.port : l.port;
    bound.push({ kind: l.kind, address: l.address, port, server });
  }
  return bound;
}
