// A raw XML client for conversation tests: it sends exactly the XML a script gives and checks what comes back.
import { createHash } from "node:crypto";
import { connect as tcpConnect, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from "node:tls";
import { Element } from "../../src/xml/element.ts";
import { StreamParser } from "../../src/xml/parser.ts";
import { mismatch, parseOne } from "./match.ts";
import { ScramClient, type ScramHash } from "./scram-client.ts";

const STREAM_NS = "http://etherx.jabber.org/streams";

export interface ConnectOptions {
  port: number;
  host: string;
  ca?: string | Buffer;
  /** "starttls" (default) negotiates TLS; "direct" is XEP-0368; "plain" stays unencrypted. */
  security?: "starttls" | "direct" | "plain";
  timeoutMs?: number;
  /** Loopback source address (127.0.0.N), to look like different clients to per-IP limits. */
  localAddress?: string;
}

export class RawClient {
  socket: Socket;
  features: Element | undefined;
  jid: string | undefined;
  streamHeader: Element | undefined;
  readonly host: string;
  private parser: StreamParser;
  private readonly inbox: Element[] = [];
  private waiters: ((e: Element | undefined) => void)[] = [];
  private ended = false;
  private streamError: string | undefined;
  private readonly opts: ConnectOptions;
  private readonly closedPromise: Promise<void>;
  private markClosed!: () => void;

  private constructor(socket: Socket, opts: ConnectOptions) {
    this.socket = socket;
    this.opts = opts;
    this.host = opts.host;
    this.closedPromise = new Promise((r) => (this.markClosed = r));
    this.parser = this.newParser();
    this.attach(socket);
  }

  static async connect(opts: ConnectOptions): Promise<RawClient> {
    const security = opts.security ?? "starttls";
    const socket =
      security === "direct"
        ? await new Promise<Socket>((resolve, reject) => {
            const s = tlsConnect(
              {
                port: opts.port,
                host: "127.0.0.1",
                servername: opts.host,
                ca: opts.ca,
                ALPNProtocols: ["xmpp-client"],
                ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
              } as ConnectionOptions,
              () => resolve(s),
            );
            s.once("error", reject);
          })
        : await new Promise<Socket>((resolve, reject) => {
            const s = tcpConnect({ port: opts.port, host: "127.0.0.1", localAddress: opts.localAddress }, () => resolve(s));
            s.once("error", reject);
          });
    const c = new RawClient(socket, opts);
    await c.openStream();
    if (security === "starttls") await c.starttls();
    return c;
  }

  private newParser(): StreamParser {
    return new StreamParser(
      {
        streamStart: (header) => (this.streamHeader = header),
        stanza: (el) => this.deliver(el),
        streamEnd: () => this.end(),
        error: (e) => {
          this.streamError = `client parser: ${e.message}`;
          this.end();
        },
      },
      { maxStanzaBytes: 1 << 24 },
    );
  }

  private attach(socket: Socket): void {
    socket.on("data", (d) => this.parser.write(d));
    socket.on("close", () => this.end());
    socket.on("error", () => this.end());
  }

  private deliver(el: Element): void {
    if (el.name === "error" && el.ns === STREAM_NS) {
      this.streamError = el.elements().find((c) => c.name !== "text")?.name ?? "undefined-condition";
    }
    const w = this.waiters.shift();
    if (w) w(el);
    else this.inbox.push(el);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const w of this.waiters.splice(0)) w(undefined);
    this.markClosed();
  }

  /** Condition of the stream error the server sent, if any. */
  get error(): string | undefined {
    return this.streamError;
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** Resolves once the server has closed the stream (or the socket). */
  async closed(timeoutMs = 5000): Promise<void> {
    await withTimeout(this.closedPromise, timeoutMs, "stream to close");
  }

  sendRaw(data: string | Buffer): void {
    this.socket.write(data);
  }

  send(xml: string | Element): void {
    this.socket.write(typeof xml === "string" ? xml : xml.toString("jabber:client"));
  }

  /** The next top-level element from the server. */
  next(timeoutMs = this.opts.timeoutMs ?? 3000): Promise<Element> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended) return Promise.reject(new Error(`stream closed${this.streamError ? ` (${this.streamError})` : ""}`));
    let waiter: ((e: Element | undefined) => void) | undefined;
    return withTimeout(
      new Promise<Element>((resolve, reject) => {
        waiter = (e) => (e ? resolve(e) : reject(new Error(`stream closed${this.streamError ? ` (${this.streamError})` : ""}`)));
        this.waiters.push(waiter);
      }),
      timeoutMs,
      "a stanza",
      () => (this.waiters = this.waiters.filter((w) => w !== waiter)),
    );
  }

  /** The next element must match the pattern (see match.ts). Returns it for further checks. */
  async receives(pattern: string, timeoutMs?: number): Promise<Element> {
    const expected = parseOne(pattern);
    const actual = await this.next(timeoutMs);
    const m = mismatch(expected, actual);
    if (m) throw new Error(`${m}\n  expected: ${pattern}\n  received: ${actual.toString("jabber:client")}`);
    return actual;
  }

  /** The next elements must match these patterns, in any order. */
  async receivesAll(patterns: string[], timeoutMs?: number): Promise<Element[]> {
    const expected = patterns.map(parseOne);
    const got: Element[] = [];
    const remaining = [...expected];
    while (remaining.length > 0) {
      const actual = await this.next(timeoutMs);
      const i = remaining.findIndex((e) => mismatch(e, actual) === undefined);
      if (i < 0) {
        throw new Error(
          `unexpected ${actual.toString("jabber:client")}\n  still expecting:\n    ${remaining.map((r) => r.toString("jabber:client")).join("\n    ")}`,
        );
      }
      remaining.splice(i, 1);
      got.push(actual);
    }
    return got;
  }

  /** Nothing arrives within `ms`. */
  async receivesNothing(ms = 250): Promise<void> {
    const queued = this.inbox.shift();
    if (queued) throw new Error(`expected nothing, received ${queued.toString("jabber:client")}`);
    const el = await new Promise<Element | undefined>((resolve) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, ms);
      const waiter = (e: Element | undefined) => {
        clearTimeout(t);
        resolve(e);
      };
      this.waiters.push(waiter);
    });
    if (el) throw new Error(`expected nothing, received ${el.toString("jabber:client")}`);
  }

  async openStream(): Promise<Element> {
    this.send(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='${STREAM_NS}' to='${this.host}' version='1.0' xml:lang='en'>`);
    const f = await this.next();
    if (f.name !== "features") throw new Error(`expected stream features, got ${f.toString()}`);
    this.features = f;
    return f;
  }

  private restart(): void {
    this.parser = this.newParser();
  }

  async starttls(): Promise<void> {
    this.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    const r = await this.next();
    if (r.name !== "proceed") throw new Error(`STARTTLS refused: ${r.toString()}`);
    const raw = this.socket;
    raw.removeAllListeners("data");
    raw.removeAllListeners("close");
    raw.removeAllListeners("error");
    const tls: TLSSocket = await new Promise((resolve, reject) => {
      const s = tlsConnect({ socket: raw, servername: this.host, ca: this.opts.ca }, () => resolve(s));
      s.once("error", reject);
    });
    this.socket = tls;
    this.restart();
    this.attach(tls);
    await this.openStream();
  }

  mechanisms(): string[] {
    return this.features?.getChild("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl")?.getChildren("mechanism").map((m) => m.text()) ?? [];
  }

  /** SASL with SCRAM-SHA-1/256 or PLAIN; resolves on success, rejects with the failure condition. */
  async authenticate(
    username: string,
    password: string,
    mechanism = "SCRAM-SHA-1",
    opts: { binding?: "tls-exporter" | "tls-server-end-point"; bindingData?: Buffer } = {},
  ): Promise<void> {
    const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    if (mechanism === "PLAIN") {
      const data = Buffer.from(`\0${username}\0${password}`).toString("base64");
      this.send(`<auth xmlns='${SASL}' mechanism='PLAIN'>${data}</auth>`);
    } else {
      const hash: ScramHash = mechanism.startsWith("SCRAM-SHA-256") ? "sha256" : "sha1";
      let channelBinding: { type: string; data: Buffer } | undefined;
      if (mechanism.endsWith("-PLUS")) {
        const type = opts.binding ?? "tls-exporter";
        channelBinding = { type, data: opts.bindingData ?? this.channelBindingData(type) };
      }
      const scram = new ScramClient({ hash, username, password, channelBinding });
      this.send(`<auth xmlns='${SASL}' mechanism='${mechanism}'>${scram.first().toString("base64")}</auth>`);
      const challenge = await this.next();
      if (challenge.name !== "challenge") throw new Error(`SASL ${failureOf(challenge)}`);
      this.send(`<response xmlns='${SASL}'>${scram.final(Buffer.from(challenge.text(), "base64")).toString("base64")}</response>`);
    }
    const result = await this.next();
    if (result.name !== "success") throw new Error(`SASL ${failureOf(result)}`);
    this.restart();
    await this.openStream();
  }

  /** The channel-binding data this client sees on its TLS connection. */
  channelBindingData(type: "tls-exporter" | "tls-server-end-point"): Buffer {
    const tls = this.socket as TLSSocket;
    if (type === "tls-exporter") return tls.exportKeyingMaterial(32, "EXPORTER-Channel-Binding", Buffer.alloc(0));
    return createHash("sha256").update(tls.getPeerCertificate().raw).digest();
  }

  async bind(resource?: string): Promise<string> {
    const res = resource ? `<resource>${resource}</resource>` : "";
    this.send(`<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>${res}</bind></iq>`);
    const r = await this.next();
    const jid = r.getChild("bind")?.getChildText("jid");
    if (r.attrs.type !== "result" || !jid) throw new Error(`bind failed: ${r.toString()}`);
    this.jid = jid;
    return jid;
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.send("</stream:stream>");
    await Promise.race([this.closedPromise, new Promise((r) => setTimeout(r, 500))]);
    this.socket.destroy();
  }
}

function failureOf(el: Element): string {
  return el.elements()[0]?.name ?? el.name;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => {
        onTimeout?.();
        reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      }, ms);
    }),
  ]);
}
