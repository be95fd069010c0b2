// RFC 6120 §8 / RFC 6121 §8: names each stanza's way and hands it to the modules hooked there.
import { Element, x } from "../xml/element.ts";
import { type Jid, tryParseJid } from "../xmpp/jid.ts";
import { StanzaError } from "../xmpp/stanza-error.ts";
import type { EventBus } from "./event-bus.ts";
import type { ServerEvents, StanzaEvent } from "./events.ts";
import type { IqContext, IqHandler, IqHandlerSpec, PreAuthIqHandler, PreAuthIqSpec } from "./module.ts";
import type { Session } from "./session.ts";
import type { Logger } from "./logger.ts";

export interface RouterDeps {
  events: EventBus<ServerEvents>;
  isLocalHost(domain: string): boolean;
  accountExists(host: string, username: string): Promise<boolean>;
  log: Logger;
}

type Kind = "message" | "presence" | "iq";

const IN_EVENTS = {
  message: { bare: "in/message/bare", full: "in/message/full", host: "in/message/host" },
  presence: { bare: "in/presence/bare", full: "in/presence/full", host: "in/presence/host" },
} as const;

export class Router {
  private readonly iqHandlers = new Map<string, IqHandler>();
  private readonly preAuthHandlers = new Map<string, PreAuthIqHandler>();
  private readonly deps: RouterDeps;

  constructor(deps: RouterDeps) {
    this.deps = deps;
  }

  addIqHandler(spec: IqHandlerSpec): () => void {
    const key = iqKey(spec.type, spec.scope, spec.ns, spec.name);
    if (this.iqHandlers.has(key)) throw new Error(`two modules handle ${key}`);
    this.iqHandlers.set(key, spec.handler);
    return () => this.iqHandlers.delete(key);
  }

  addPreAuthIqHandler(spec: PreAuthIqSpec): () => void {
    const key = `${spec.type} ${spec.ns} ${spec.name}`;
    if (this.preAuthHandlers.has(key)) throw new Error(`two modules handle pre-auth ${key}`);
    this.preAuthHandlers.set(key, spec.handler);
    return () => this.preAuthHandlers.delete(key);
  }

  /** A stanza from a bound client session whose `from` the c2s layer has already stamped. */
  async fromClient(session: Session & { jid: Jid }, stanza: Element): Promise<void> {
    const kind = stanza.name as Kind;
    const from = session.jid;
    let to: Jid;
    const toAttr = stanza.attrs.to;
    if (toAttr === undefined) {
      to = from.bare();
    } else {
      const parsed = tryParseJid(toAttr);
      if (!parsed) {
        this.bounce(stanza, from, new StanzaError("jid-malformed", "The 'to' address is not a valid JID"), session);
        return;
      }
      to = parsed;
    }
    if (kind === "iq") {
      const problem = checkIq(stanza);
      if (problem) {
        this.bounce(stanza, from, problem, session);
        return;
      }
    } else {
      const ev: StanzaEvent = { stanza, from, to, origin: session };
      if (await this.deps.events.emit(kind === "message" ? "out/message" : "out/presence", ev)) return;
    }
    await this.route(stanza, from, to, session);
  }

  /** Inbound processing: delivers a stamped stanza to its destination. */
  async route(stanza: Element, from: Jid, to: Jid, origin?: Session): Promise<void> {
    const kind = stanza.name as Kind;
    if (!this.deps.isLocalHost(to.domain)) {
      // No server-to-server links yet: every remote domain is unreachable.
      this.bounce(stanza, from, new StanzaError("remote-server-not-found"), origin, to);
      return;
    }
    if (kind === "iq") return this.routeIq(stanza, from, to, origin);
    const target = to.local === undefined ? "host" : to.resource === undefined ? "bare" : "full";
    const ev: StanzaEvent = { stanza, from, to, origin };
    const handled = await this.deps.events.emit(IN_EVENTS[kind][target], ev);
    if (!handled && kind === "message" && target !== "host") {
      await this.deps.events.emit("message/undeliverable", ev);
    }
  }

  private async routeIq(stanza: Element, from: Jid, to: Jid, origin?: Session): Promise<void> {
    const type = stanza.attrs.type;
    if (to.resource !== undefined && to.local !== undefined) {
      this.deliverIqToFull(stanza, from, to, origin);
      return;
    }
    if (type !== "get" && type !== "set") return; // results/errors for the server or an account are not tracked
    const payload = stanza.firstElement()!;
    const scope = to.local === undefined ? "host" : "account";
    const handler = this.iqHandlers.get(iqKey(type, scope, payload.ns ?? "", payload.name));
    const toSelf = scope === "account" && to.local === from.local && to.domain === from.domain;
    if (!handler) {
      this.bounce(stanza, from, new StanzaError("service-unavailable"), origin, to);
      return;
    }
    if (scope === "account" && !toSelf && !(await this.deps.accountExists(to.domain, to.local!))) {
      this.bounce(stanza, from, new StanzaError("service-unavailable"), origin, to);
      return;
    }
    const ctx: IqContext = { stanza, from, to, origin, toSelf };
    await this.runIq(stanza, from, to, origin, () => handler(ctx, payload));
  }

  private deliverIqToFull(stanza: Element, from: Jid, to: Jid, origin?: Session): void {
    const target = this.fullSessionLookup?.(to);
    if (target) {
      target.send(stanza);
      return;
    }
    const type = stanza.attrs.type;
    if (type === "get" || type === "set") this.bounce(stanza, from, new StanzaError("service-unavailable"), origin, to);
  }

  /** Set by the server once the session registry exists (kept as a function to avoid a cycle). */
  fullSessionLookup: ((jid: Jid) => Session | undefined) | undefined;

  /** An IQ from a stream that has not authenticated yet. */
  async fromUnauthenticated(session: Session, stanza: Element): Promise<void> {
    const problem = checkIq(stanza);
    if (problem) {
      session.send(errorStanza(stanza, problem));
      return;
    }
    const type = stanza.attrs.type;
    if (type !== "get" && type !== "set") return;
    const payload = stanza.firstElement()!;
    const handler = this.preAuthHandlers.get(`${type} ${payload.ns ?? ""} ${payload.name}`);
    if (!handler) {
      session.send(errorStanza(stanza, new StanzaError("service-unavailable")));
      return;
    }
    try {
      const result = await handler({ stanza, session }, payload);
      session.send(resultStanza(stanza, result ?? undefined));
    } catch (e) {
      session.send(errorStanza(stanza, this.asStanzaError(e)));
    }
  }

  private async runIq(
    stanza: Element,
    from: Jid,
    to: Jid,
    origin: Session | undefined,
    call: () => ReturnType<IqHandler>,
  ): Promise<void> {
    let reply: Element;
    try {
      const result = await call();
      reply = resultStanza(stanza, result ?? undefined);
    } catch (e) {
      reply = errorStanza(stanza, this.asStanzaError(e));
    }
    reply.attrs.from = to.toString();
    reply.attrs.to = from.toString();
    this.deliverReply(reply, from, origin);
  }

  private asStanzaError(e: unknown): StanzaError {
    if (e instanceof StanzaError) return e;
    this.deps.log.error({ err: e }, "handler failed");
    return new StanzaError("internal-server-error");
  }

  private deliverReply(reply: Element, to: Jid, origin: Session | undefined): void {
    if (origin && origin.jid && origin.jid.equals(to)) {
      origin.send(reply);
      return;
    }
    const target = this.fullSessionLookup?.(to);
    target?.send(reply);
  }

  /**
   * Answers `stanza` with an error to its sender. Never answers an error with an error.
   * `as` is the address the error comes from (the unreachable destination); the server's domain by default.
   */
  bounce(stanza: Element, sender: Jid, err: StanzaError, origin?: Session, as?: Jid): void {
    if (stanza.attrs.type === "error" || stanza.attrs.type === "result") return;
    if (stanza.name === "presence") return; // RFC 6121: presence errors are not worth a loop
    const reply = errorStanza(stanza, err);
    reply.attrs.from = (as ?? stanza.attrs.to ?? sender.domain).toString();
    reply.attrs.to = sender.toString();
    this.deliverReply(reply, sender, origin);
  }
}

function iqKey(type: string, scope: string, ns: string, name: string): string {
  return `${type} ${scope} ${ns} ${name}`;
}

/** RFC 6120 §8.2.3: id and type required; get/set carry exactly one payload. */
function checkIq(stanza: Element): StanzaError | undefined {
  const type = stanza.attrs.type;
  if (!stanza.attrs.id) return new StanzaError("bad-request", "An IQ needs an id");
  if (type === "get" || type === "set") {
    if (stanza.elements().length !== 1) return new StanzaError("bad-request", "A get or set IQ carries exactly one payload");
    return undefined;
  }
  if (type === "result" || type === "error") return undefined;
  return new StanzaError("bad-request", "Unknown IQ type");
}

export function resultStanza(request: Element, payload?: Element): Element {
  return x("iq", { type: "result", id: request.attrs.id }, payload);
}

/** An error reply carrying the request's payload, as RFC 6120 §8.3.1 allows. */
export function errorStanza(request: Element, err: StanzaError): Element {
  const attrs: Record<string, string> = { type: "error" };
  if (request.attrs.id !== undefined) attrs.id = request.attrs.id;
  const el = new Element(request.name, undefined, attrs, request.name === "iq" ? [] : request.children.slice());
  el.children.push(...err.extra, err.toElement());
  return el;
}
