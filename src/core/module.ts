// Module definitions: a module is data plus a setup function returning its wiring, so the loader can
// register all of it, remove all of it, and list the XEPs the server implements.
import type { Element } from "../xml/element.ts";
import type { Jid } from "../xmpp/jid.ts";
import type { Config } from "./config/index.ts";
import type { Logger } from "./logger.ts";
import type { Storage } from "../storage/types.ts";
import type { EventBus } from "./event-bus.ts";
import type { ServerEvents } from "./events.ts";
import type { Session } from "./session.ts";
import type { SessionRegistry } from "./sessions.ts";
import type { Router } from "./router.ts";
import type { TlsContexts } from "../net/tls-contexts.ts";

export interface IqContext {
  stanza: Element;
  from: Jid;
  to: Jid;
  /** The local session the request came from, if any. */
  origin: Session | undefined;
  /** True when the request is addressed to the sender's own account (no `to`, or `to` = own bare JID). */
  toSelf: boolean;
}

/** What an IQ handler may return: a payload element for the result, nothing for an empty result.
 *  Throw a StanzaError to answer with an error. */
export type IqResult = Element | undefined | void;
export type IqHandler = (ctx: IqContext, payload: Element) => IqResult | Promise<IqResult>;

export interface IqHandlerSpec {
  type: "get" | "set";
  ns: string;
  name: string;
  /** `host`: addressed to the domain. `account`: to a local account's bare JID (self included). */
  scope: "host" | "account";
  handler: IqHandler;
}

/** Context of an IQ from a stream that has not authenticated yet (registration, pre-auth tokens). */
export interface PreAuthIqContext {
  stanza: Element;
  session: Session;
}
export type PreAuthIqHandler = (ctx: PreAuthIqContext, payload: Element) => IqResult | Promise<IqResult>;

export interface PreAuthIqSpec {
  type: "get" | "set";
  ns: string;
  name: string;
  handler: PreAuthIqHandler;
}

export interface StreamFeatureSpec {
  /** `pre-auth`: offered on a stream that is not authenticated yet; `post-auth`: with bind, after SASL. */
  stage: "pre-auth" | "post-auth";
  /** Returns the feature element for this session, or undefined to leave it out. */
  element(session: Session): Element | undefined;
}

export interface DiscoIdentity {
  category: string;
  type: string;
  name?: string;
}

export interface DiscoWiring {
  identities?: DiscoIdentity[];
  /** Features of the domain (disco#info to the host). */
  features?: string[];
  /** Features of every account (disco#info to a user's bare JID). */
  accountFeatures?: string[];
}

export type Hooks = {
  [K in keyof ServerEvents]?:
    | ((payload: ServerEvents[K]) => unknown)
    | { handler: (payload: ServerEvents[K]) => unknown; priority: number };
};

export interface ModuleWiring<Api> {
  api?: Api;
  hooks?: Hooks;
  iq?: IqHandlerSpec[];
  preAuthIq?: PreAuthIqSpec[];
  streamFeatures?: StreamFeatureSpec[];
  disco?: DiscoWiring;
  stop?(): void | Promise<void>;
}

export interface XepSupport {
  xep: number | string; // number for XEPs, "RFC 6121" style strings for RFCs
  version: string;
  note?: string;
}

export interface ModuleContext {
  config: Config;
  storage: Storage;
  log: Logger;
  events: EventBus<ServerEvents>;
  sessions: SessionRegistry;
  router: Router;
  /** TLS contexts of the hosted domains (for modules that listen on sockets of their own, like HTTPS). */
  tls: TlsContexts;
  /** The public API of a module named in `depends`. */
  use<T>(name: string): T;
  /** True when `domain` is one of ours. */
  isLocalHost(domain: string): boolean;
  /** Modules loaded, with their declared XEPs (for disco and docs). */
  modules(): readonly LoadedModuleInfo[];
}

export interface LoadedModuleInfo {
  name: string;
  xeps: readonly XepSupport[];
  disco: DiscoWiring;
}

export interface ModuleDefinition<Api = unknown> {
  name: string;
  depends?: string[];
  xeps?: XepSupport[];
  setup(ctx: ModuleContext): ModuleWiring<Api> | Promise<ModuleWiring<Api>>;
}

export function defineModule<Api = unknown>(def: ModuleDefinition<Api>): ModuleDefinition<Api> {
  return def;
}
