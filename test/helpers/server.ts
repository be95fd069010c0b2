// Starts a real Hearth on random loopback ports with a temporary data directory, for tests.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig, type Config } from "../../src/core/config/index.ts";
import { HearthServer } from "../../src/core/server.ts";
import type { ModuleDefinition } from "../../src/core/module.ts";
import { deriveCredentials } from "../../src/auth/credentials.ts";
import { createLogger } from "../../src/core/logger.ts";
import { RawClient, type ConnectOptions } from "./raw-client.ts";

export interface TestServerOptions {
  /** Hosted domains; the first is the default. */
  hosts?: string[];
  configure?: (config: Config) => void;
  modules?: readonly ModuleDefinition[];
  /** Where the server's log goes (with configure setting a level); silent by default. */
  logDestination?: NodeJS.WritableStream;
}

export interface TestServer {
  server: HearthServer;
  host: string;
  port: number;
  directTlsPort: number;
  ca: Buffer;
  dataDir: string;
  createUser(username: string, password?: string, role?: string, host?: string): Promise<void>;
  /** A raw client over STARTTLS (default), not logged in. */
  connect(opts?: Partial<ConnectOptions>): Promise<RawClient>;
  /** A raw client logged in and bound; `available` also sends initial presence and waits for it to echo. */
  login(username: string, opts?: { password?: string; resource?: string; available?: boolean }): Promise<RawClient>;
  stop(): Promise<void>;
}

export const TEST_PASSWORD = "correct horse battery";

let lastIp = 1;
/** A fresh loopback address (127.0.1.N), so tests that fail logins don't trip each other's per-IP limits. */
export function freshIp(): string {
  lastIp = (lastIp % 250) + 1;
  return `127.0.${Math.floor(Math.random() * 250) + 1}.${lastIp}`;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "hearth-test-"));
  const hosts = opts.hosts ?? ["example.com"];
  const config = defaultConfig();
  config.dataDir = dataDir;
  config.storage = { driver: "sqlite", path: join(dataDir, "hearth.sqlite") };
  config.hosts = hosts.map((domain) => ({ domain }));
  config.listeners = [
    { kind: "starttls", address: "127.0.0.1", port: 0 },
    { kind: "directtls", address: "127.0.0.1", port: 0 },
  ];
  config.http = { ...config.http, address: "127.0.0.1", port: 0, httpsPort: 0 };
  config.logLevel = (process.env.HEARTH_TEST_LOG as Config["logLevel"]) ?? "silent";
  opts.configure?.(config);
  const log = opts.logDestination ? createLogger(config.logLevel, { destination: opts.logDestination }) : undefined;
  const server = await HearthServer.start({ config, modules: opts.modules, log });
  const host = hosts[0]!;
  const ca = readFileSync(server.certPath(host)!);
  const port = server.port("starttls");
  const directTlsPort = server.port("directtls");
  const clients: RawClient[] = [];
  const ts: TestServer = {
    server,
    host,
    port,
    directTlsPort,
    ca,
    dataDir,
    async createUser(username, password = TEST_PASSWORD, role = "user", h = host) {
      const created = await server.storage.accounts.create(h, username, await deriveCredentials(password), role);
      if (!created) throw new Error(`user ${username}@${h} exists`);
    },
    async connect(o = {}) {
      const security = o.security ?? "starttls";
      const c = await RawClient.connect({
        host,
        ca,
        ...o,
        port: o.port ?? (security === "direct" ? directTlsPort : port),
        security,
      });
      clients.push(c);
      return c;
    },
    async login(username, o = {}) {
      const c = await ts.connect();
      await c.authenticate(username, o.password ?? TEST_PASSWORD);
      await c.bind(o.resource);
      if (o.available) {
        c.send("<presence/>");
        await c.receives(`<presence from='${c.jid}'><etc/></presence>`);
      }
      return c;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return ts;
}
