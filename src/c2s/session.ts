// RFC 6120 client-to-server stream: header checks, STARTTLS, SASL, resource binding, then stanzas.
import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import { Element, x } from "../xml/element.ts";
import { StreamParser } from "../xml/parser.ts";
import { NS } from "../xmpp/namespaces.ts";
import { StreamError } from "../xmpp/stream-error.ts";
import { StanzaError } from "../xmpp/stanza-error.ts";
import { type Jid, JidError, makeJid, prepDomainpart, tryParseJid } from "../xmpp/jid.ts";
import type { Session } from "../core/session.ts";
import { errorStanza } from "../core/router.ts";
import { randomId } from "../core/random-id.ts";
import type { C2sContext } from "./context.ts";
import { bareStreamHeader, featuresXml, streamHeader } from "./stream-header.ts";
import { SaslNegotiation } from "./sasl-negotiation.ts";

type Phase = "header" | "open" | "closed";

export class C2sSession implements Session {
  readonly id = randomId(9);
  host = "";
  readonly ip: string;
  secure: boolean;
  authenticated = false;
  username: string | undefined;
  jid: Jid | undefined;
  presence: Element | undefined;
  priority = 0;
  rosterRequested = false;
  private stateMap: Map<string, unknown> | undefined;
  readonly openedAt = Date.now();
  lastActivity = this.openedAt;

  private socket: Socket;
  private readonly ctx: C2sContext;
  private readonly parser: StreamParser;
  private phase: Phase = "header";
  private headerSent = false;
  private bound = false;
  private sasl: SaslNegotiation | undefined;
  private readonly queue: Element[] = [];
  private processing = false;
  /** Output of the current tick, written as one string (one conversion, one syscall) when the tick ends. */
  private outbox: string | undefined;
  private readonly flush = (): void => {
    const data = this.outbox;
    this.outbox = undefined;
    if (data !== undefined && !this.socket.destroyed) this.socket.write(data);
  };
  private readonly onData = (chunk: Buffer) => {
    this.lastActivity = Date.now();
    this.parser.write(chunk);
  };

  constructor(socket: Socket, ctx: C2sContext, directTls: boolean) {
    this.socket = socket;
    this.ctx = ctx;
    this.ip = normaliseIp(socket.remoteAddress);
    this.secure = directTls;
    this.parser = new StreamParser(
      {
        streamStart: (header, defaultNs) => this.onStreamStart(header, defaultNs),
        stanza: (el) => this.enqueue(el),
        streamEnd: () => this.close(),
        error: (err) => this.close(err),
      },
      ctx.config.limits,
    );
    this.attach(socket);
  }

  get state(): Map<string, unknown> {
    return (this.stateMap ??= new Map());
  }

  /** The TLS socket of this stream, when it is encrypted. */
  get tlsSocket(): TLSSocket | undefined {
    return this.socket instanceof TLSSocket ? this.socket : undefined;
  }

  get isBound(): boolean {
    return this.bound;
  }

  private attach(socket: Socket): void {
    socket.on("data", this.onData);
    socket.on("error", (err) => this.ctx.log.debug({ session: this.id, err: err.message }, "socket error"));
    socket.on("close", () => this.destroyed());
  }

  send(stanza: Element): void {
    this.write(stanza.toString(NS.CLIENT));
  }

  write(data: string): void {
    if (this.phase === "closed" || this.socket.destroyed) return;
    if (this.outbox === undefined) {
      this.outbox = data;
      process.nextTick(this.flush);
    } else {
      this.outbox += data;
    }
  }

  close(error?: StreamError): void {
    if (this.phase === "closed") return;
    if (error) {
      if (!this.headerSent) this.write(bareStreamHeader(this.id));
      this.write(error.toXml());
      if (error.condition !== "system-shutdown" && error.condition !== "conflict") {
        this.ctx.log.info({ session: this.id, ip: this.ip, condition: error.condition, text: error.text }, "stream error");
      }
    }
    if (this.headerSent || error) this.write("</stream:stream>");
    this.flush();
    this.phase = "closed";
    this.socket.end();
    // A peer that never closes its side does not keep the socket forever. The timer goes when the socket
    // does: held for its 3 s, every closed stream would outlive a few young-generation GCs and be promoted.
    if (!this.socket.destroyed) {
      const socket = this.socket;
      const linger = setTimeout(() => socket.destroy(), 3000).unref();
      socket.once("close", () => clearTimeout(linger));
    }
    this.leave();
  }

  private destroyed(): void {
    this.phase = "closed";
    this.leave();
  }

  private leaving = false;
  private leave(): void {
    if (this.leaving) return;
    this.leaving = true;
    this.ctx.onClosed(this, this.bound);
  }

  // ---- stream header ------------------------------------------------------------------------

  private onStreamStart(header: Element, defaultNs: string | undefined): void {
    const lang = header.attrs["xml:lang"] ?? "en";
    const to = header.attrs.to;
    let host: string | undefined;
    try {
      host = to === undefined ? undefined : prepDomainpart(to);
    } catch {
      host = undefined;
    }
    if (!host || !this.ctx.isLocalHost(host) || (this.host && host !== this.host)) {
      this.close(new StreamError("host-unknown", "This server does not serve that domain"));
      return;
    }
    this.host = host;
    this.write(streamHeader({ id: randomId(9), from: host, lang }));
    this.headerSent = true;
    if (defaultNs !== NS.CLIENT) {
      this.close(new StreamError("invalid-namespace", "The default namespace must be jabber:client"));
      return;
    }
    const version = header.attrs.version;
    if (!version || Number.parseInt(version.split(".")[0]!, 10) < 1) {
      this.close(new StreamError("unsupported-version", "Hearth speaks XMPP 1.0"));
      return;
    }
    this.phase = "open";
    this.write(featuresXml(this.features()));
  }

  private features(): Element[] {
    const tlsRequired = this.ctx.config.tls.policy === "required";
    const out: Element[] = [];
    if (!this.secure && this.ctx.tls.contextFor(this.host)) {
      out.push(x("starttls", { xmlns: NS.TLS }, tlsRequired ? x("required") : undefined));
      if (tlsRequired) return out;
    }
    if (!this.authenticated) {
      out.push(...SaslNegotiation.features(this, this.ctx));
      out.push(...this.ctx.features.collect("pre-auth", this));
      return out;
    }
    out.push(x("bind", { xmlns: NS.BIND }));
    out.push(x("session", { xmlns: NS.SESSION }, x("optional")));
    out.push(...this.ctx.features.collect("post-auth", this));
    return out;
  }

  /** Restarts the stream after STARTTLS or SASL success: a new header is expected. */
  private restart(): void {
    this.parser.reset();
    this.phase = "header";
    this.headerSent = false;
  }

  // ---- stanza processing ---------------------------------------------------------------------

  private enqueue(el: Element): void {
    this.queue.push(el);
    if (!this.processing) void this.drain();
  }

  private async drain(): Promise<void> {
    this.processing = true;
    try {
      while (this.queue.length > 0 && this.phase !== "closed") {
        const el = this.queue.shift()!;
        try {
          await this.handle(el);
        } catch (e) {
          if (e instanceof StreamError) this.close(e);
          else {
            this.ctx.log.error({ session: this.id, err: e }, "stanza processing failed");
            this.close(new StreamError("internal-server-error"));
          }
        }
      }
    } finally {
      this.processing = false;
    }
  }

  private async handle(el: Element): Promise<void> {
    if (el.ns === NS.TLS) return this.handleStartTls(el);
    if (el.ns === NS.SASL) {
      if (this.authenticated) throw new StreamError("policy-violation", "Already authenticated");
      if (!this.secure && this.ctx.config.tls.policy === "required") {
        this.write(`<failure xmlns='${NS.SASL}'><encryption-required/></failure>`);
        return;
      }
      this.sasl ??= new SaslNegotiation(this, this.ctx);
      const ok = await this.sasl.handle(el);
      if (ok) {
        this.sasl = undefined;
        this.authenticated = true;
        this.username = ok.username;
        this.restart();
        await this.ctx.events.emit("session-authenticated", { session: this });
      }
      return;
    }
    if (el.ns !== NS.CLIENT || (el.name !== "message" && el.name !== "presence" && el.name !== "iq")) {
      throw new StreamError("unsupported-stanza-type", `<${el.name}/> is not a stanza`);
    }
    if (!this.authenticated) {
      if (el.name !== "iq") throw new StreamError("not-authorized", "Authenticate first");
      return this.ctx.router.fromUnauthenticated(this, el);
    }
    if (isSessionIq(el)) {
      this.send(x("iq", { type: "result", id: el.attrs.id }));
      return;
    }
    if (!this.bound) return this.handleUnbound(el);
    this.checkFrom(el);
    el.attrs.from = this.jid!.toString();
    return this.ctx.router.fromClient(this as C2sSession & { jid: Jid }, el);
  }

  /** RFC 6120 §8.1.2.1: a client may name itself, but only as itself. */
  private checkFrom(el: Element): void {
    const from = el.attrs.from;
    if (from === undefined) return;
    const jid = tryParseJid(from);
    const mine = this.jid!;
    if (jid && (jid.equals(mine) || (jid.isBare() && jid.equals(mine.bare())))) return;
    throw new StreamError("invalid-from", "The 'from' address does not match this stream");
  }

  private handleStartTls(el: Element): void {
    const context = this.ctx.tls.contextFor(this.host);
    if (el.name !== "starttls" || this.secure || !context || this.authenticated) {
      this.write(`<failure xmlns='${NS.TLS}'/>`);
      this.close();
      return;
    }
    this.write(`<proceed xmlns='${NS.TLS}'/>`);
    this.flush(); // onto the plain socket, before TLS takes it over
    const raw = this.socket;
    raw.removeListener("data", this.onData);
    raw.removeAllListeners("close");
    const tlsSocket = new TLSSocket(raw, { isServer: true, secureContext: context });
    this.socket = tlsSocket;
    this.attach(tlsSocket);
    this.secure = true;
    this.restart();
  }

  private handleUnbound(el: Element): void {
    if (el.name !== "iq") throw new StreamError("not-authorized", "Bind a resource first");
    const payload = el.firstElement();
    const type = el.attrs.type;
    if (!payload?.is("bind", NS.BIND) || type !== "set") {
      if (type === "get" || type === "set") this.send(errorStanza(el, new StanzaError("not-authorized", "Bind a resource first")));
      return;
    }
    const requested = payload.getChildText("resource")?.trim();
    let jid: Jid;
    try {
      jid = makeJid(this.username, this.host, requested ? requested : randomId(6));
    } catch (e) {
      if (!(e instanceof JidError)) throw e;
      this.send(errorStanza(el, new StanzaError("bad-request", "That resource is not valid")));
      return;
    }
    this.jid = jid;
    this.bound = true;
    this.ctx.bind(this as C2sSession & { jid: Jid });
    this.send(x("iq", { type: "result", id: el.attrs.id }, x("bind", { xmlns: NS.BIND }, x("jid", null, jid.toString()))));
  }
}

/** RFC 3921's session establishment, kept as a no-op for old clients (RFC 6121 Appendix E). */
function isSessionIq(el: Element): boolean {
  return el.name === "iq" && el.attrs.type === "set" && el.firstElement()?.is("session", NS.SESSION) === true;
}

function normaliseIp(addr: string | undefined): string {
  if (!addr) return "unknown";
  return addr.startsWith("::ffff:") ? addr.slice(7) : addr;
}
