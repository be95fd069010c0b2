// Assembles a running Hearth: storage, TLS, listeners, the router and the modules.
import { mkdirSync } from "node:fs";
import type { Socket } from "node:net";
import type { Config } from "./config/index.ts";
import { createLogger, type Logger } from "./logger.ts";
import { EventBus } from "./event-bus.ts";
import type { ServerEvents } from "./events.ts";
import { SessionRegistry } from "./sessions.ts";
import { Router } from "./router.ts";
import { ModuleLoader } from "./module-loader.ts";
import type { ModuleDefinition } from "./module.ts";
import { FeatureRegistry } from "../c2s/features.ts";
import { C2sSession } from "../c2s/session.ts";
import type { C2sContext } from "../c2s/context.ts";
import { TlsContexts } from "../net/tls-contexts.ts";
import { listen, type BoundListener } from "../net/listeners.ts";
import { FailureThrottle } from "../auth/throttle.ts";
import { openStorage } from "../storage/open.ts";
import type { Storage } from "../storage/types.ts";
import { StreamError } from "../xmpp/stream-error.ts";
import type { Jid } from "../xmpp/jid.ts";
import { defaultModules } from "../modules/index.ts";
import { ensureServerSecret } from "./server-secret.ts";

export interface ServerOptions {
  config: Config;
  log?: Logger;
  modules?: readonly ModuleDefinition[];
  /** An already-open storage (tests); otherwise opened from the config and closed on stop. */
  storage?: Storage;
}

export class HearthServer {
  readonly config: Config;
  readonly log: Logger;
  readonly storage: Storage;
  readonly events = new EventBus<ServerEvents>();
  readonly sessions = new SessionRegistry();
  readonly router: Router;
  readonly features = new FeatureRegistry();
  readonly modules: ModuleLoader;
  /** Every open client connection, bound or not. */
  readonly connections = new Set<C2sSession>();
  private readonly tls: TlsContexts;
  private listeners: BoundListener[] = [];
  private readonly hosts: Set<string>;
  private readonly ownsStorage: boolean;
  private sweeper: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(opts: ServerOptions, storage: Storage, tls: TlsContexts) {
    this.tls = tls;
    this.config = opts.config;
    this.log = opts.log ?? createLogger(opts.config.logLevel);
    this.storage = storage;
    this.ownsStorage = !opts.storage;
    this.hosts = new Set(opts.config.hosts.map((h) => h.domain));
    this.router = new Router({
      events: this.events,
      isLocalHost: (d) => this.hosts.has(d),
      accountExists: (host, user) => this.storage.accounts.exists(host, user),
      log: this.log,
    });
    this.router.fullSessionLookup = (jid) => this.sessions.get(jid);
    this.modules = new ModuleLoader(
      {
        config: this.config,
        storage: this.storage,
        log: this.log,
        events: this.events,
        sessions: this.sessions,
        router: this.router,
        tls: this.tls,
        isLocalHost: (d) => this.hosts.has(d),
      },
      this.router,
      this.features,
    );
  }

  static async start(opts: ServerOptions): Promise<HearthServer> {
    // Account keys and the server secret live here: nobody else needs to read it.
    mkdirSync(opts.config.dataDir, { recursive: true, mode: 0o700 });
    const log = opts.log ?? createLogger(opts.config.logLevel);
    const tls = await TlsContexts.create(opts.config, log);
    const storage = opts.storage ?? (await openStorage(opts.config.storage));
    const server = new HearthServer({ ...opts, log }, storage, tls);
    try {
      await server.init(opts.modules ?? defaultModules);
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  private async init(modules: readonly ModuleDefinition[]): Promise<void> {
    await this.modules.load(modules);
    // A deleted account is signed out everywhere; deferred so whoever deleted it can answer first (XEP-0077 §3.2).
    this.events.on(
      "user-deleted",
      ({ host, username }) => {
        setImmediate(() => {
          for (const s of [...this.connections]) {
            if (s.host === host && s.username === username) s.close(new StreamError("not-authorized", "This account has been deleted"));
          }
        });
      },
      -1000,
    );
    const ctx = this.c2sContext();
    this.listeners = await listen({
      listeners: this.config.listeners,
      tls: this.tls,
      maxConnectionsPerIp: this.config.limits.maxConnectionsPerIp,
      log: this.log,
      onConnection: (socket: Socket, directTls: boolean) => {
        this.connections.add(new C2sSession(socket, ctx, directTls));
      },
    });
    const { authTimeoutSeconds, idleTimeoutSeconds } = this.config.limits;
    const sweepMs = Math.min(5000, Math.max(250, (Math.min(authTimeoutSeconds, idleTimeoutSeconds) * 1000) / 2));
    this.sweeper = setInterval(() => this.sweep(), sweepMs);
    this.sweeper.unref();
    for (const l of this.listeners) {
      this.log.info({ kind: l.kind, address: l.address, port: l.port }, "listening");
    }
    await this.events.emit("server-started", {});
  }

  /** Ports actually bound, by listener kind (tests listen on port 0). */
  port(kind: "starttls" | "directtls"): number {
    const l = this.listeners.find((b) => b.kind === kind);
    if (!l) throw new Error(`no ${kind} listener`);
    return l.port;
  }

  certPath(host: string): string | undefined {
    return this.tls.certPath(host);
  }

  private c2sContext(): C2sContext {
    const { authFailures } = this.config.limits;
    return {
      config: this.config,
      log: this.log,
      router: this.router,
      events: this.events,
      features: this.features,
      tls: this.tls,
      isLocalHost: (d) => this.hosts.has(d),
      lookupCredentials: async (host, username) => (await this.storage.accounts.get(host, username))?.credentials,
      authThrottle: new FailureThrottle({ max: authFailures.max, windowMs: authFailures.windowSeconds * 1000 }),
      saslSecret: ensureServerSecret(this.config.dataDir),
      bind: (session: C2sSession & { jid: Jid }) => {
        const old = this.sessions.add(session);
        if (old) old.close(new StreamError("conflict", "Replaced by a new connection"));
        void this.events.emit("session-bound", { session }).catch((err) => this.log.error({ err }, "session-bound hook failed"));
      },
      onClosed: (session, wasBound) => {
        this.connections.delete(session);
        if (!wasBound) return;
        this.sessions.remove(session);
        void this.events
          .emit("session-closed", { session, wasBound })
          .catch((err) => this.log.error({ err }, "session-closed hook failed"));
      },
    };
  }

  private sweep(): void {
    const now = Date.now();
    const { authTimeoutSeconds, idleTimeoutSeconds } = this.config.limits;
    for (const s of this.connections) {
      if (!s.authenticated && now - s.openedAt > authTimeoutSeconds * 1000) {
        s.close(new StreamError("connection-timeout", "Authentication took too long"));
      } else if (now - s.lastActivity > idleTimeoutSeconds * 1000) {
        s.close(new StreamError("connection-timeout", "Idle for too long"));
      }
    }
  }

  /** Graceful stop: `<system-shutdown/>` to every stream, modules stopped, storage flushed and closed. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.events.emit("server-stopping", {}).catch(() => undefined);
    const closed = Promise.all(this.listeners.map((l) => new Promise<void>((r) => l.server.close(() => r()))));
    for (const s of [...this.connections]) s.close(new StreamError("system-shutdown", "The server is shutting down"));
    await this.modules.stopAll();
    await closed;
    if (this.ownsStorage) await this.storage.close();
    this.log.info("stopped");
  }
}
