// What a client session needs from the server around it.
import type { Config } from "../core/config/index.ts";
import type { Logger } from "../core/logger.ts";
import type { Router } from "../core/router.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { ServerEvents } from "../core/events.ts";
import type { Credentials } from "../storage/types.ts";
import type { FailureThrottle } from "../auth/throttle.ts";
import type { Jid } from "../xmpp/jid.ts";
import type { TlsContexts } from "../net/tls-contexts.ts";
import type { FeatureRegistry } from "./features.ts";
import type { C2sSession } from "./session.ts";

export interface C2sContext {
  config: Config;
  log: Logger;
  router: Router;
  events: EventBus<ServerEvents>;
  features: FeatureRegistry;
  tls: TlsContexts;
  isLocalHost(domain: string): boolean;
  lookupCredentials(host: string, username: string): Promise<Credentials | undefined>;
  authThrottle: FailureThrottle;
  /** Stable secret for SCRAM's fake salts, so unknown accounts look like known ones across restarts. */
  saslSecret: Buffer;
  /** Registers a freshly bound session (displacing one on the same full JID). */
  bind(session: C2sSession & { jid: Jid }): void;
  onClosed(session: C2sSession, wasBound: boolean): void;
}
