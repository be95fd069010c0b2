// A lean raw-socket XMPP client for load: plain TCP, SCRAM-SHA-1 with a cached salted password, no XML parser.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

export interface Target {
  port: number;
  /** The XMPP domain. */
  domain: string;
}

/** Keys derived from one (password, salt, iterations): the client pays PBKDF2 once, the server every login. */
interface ScramKeys {
  clientKey: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}
const keyCache = new Map<string, ScramKeys>();

function scramKeys(password: string, salt: string, iterations: number): ScramKeys {
  const k = `${iterations}:${salt}:${password}`;
  let keys = keyCache.get(k);
  if (!keys) {
    const salted = pbkdf2Sync(password, Buffer.from(salt, "base64"), iterations, 20, "sha1");
    const clientKey = createHmac("sha1", salted).update("Client Key").digest();
    keys = {
      clientKey,
      storedKey: createHash("sha1").update(clientKey).digest(),
      serverKey: createHmac("sha1", salted).update("Server Key").digest(),
    };
    keyCache.set(k, keys);
  }
  return keys;
}

function b64(s: string): string {
  return Buffer.from(s).toString("base64");
}

/** Text content of the first element in a raw stanza string (enough for SASL elements). */
function innerText(stanza: string): string {
  const gt = stanza.indexOf(">");
  if (stanza[gt - 1] === "/") return "";
  return stanza.slice(gt + 1, stanza.lastIndexOf("</"));
}

/** Value of attribute `name` in a raw stanza's first tag (Hearth writes double quotes; single accepted). */
export function attr(stanza: string, name: string): string | undefined {
  const end = stanza.indexOf(">");
  let i = stanza.indexOf(` ${name}=`);
  if (i < 0 || i > end) return undefined;
  i += name.length + 2;
  const q = stanza[i]!;
  return stanza.slice(i + 1, stanza.indexOf(q, i + 1));
}

export class LoginError extends Error {}

type Waiter = { resolve: (s: string) => void; reject: (e: Error) => void };

/**
 * Splits the incoming stream into top-level stanzas by tag depth alone. Good enough for what Hearth writes:
 * it escapes `>` in attribute values and sends no comments or CDATA.
 */
export class LoadClient {
  readonly socket: Socket;
  readonly target: Target;
  jid = "";
  /** Called with each stanza the login steps do not consume (after bind); without it they are dropped. */
  onStanza: ((stanza: string) => void) | undefined;
  closed = false;
  /** Until login() is over, stanzas nobody awaits yet wait in the inbox (a resolved waiter may not have run). */
  private loggingIn = true;
  private buf = "";
  private pos = 0;
  private depth = 0;
  private start = 0;
  private waiter: Waiter | undefined;
  private readonly inbox: string[] = [];
  private out = "";
  private error: Error | undefined;
  private readonly flush = () => {
    const s = this.out;
    this.out = "";
    if (!this.socket.destroyed) this.socket.write(s);
  };

  private constructor(socket: Socket, target: Target) {
    this.socket = socket;
    this.target = target;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.onData(chunk));
    socket.on("error", (e) => this.fail(e));
    socket.on("end", () => socket.end());
    socket.on("close", () => {
      this.closed = true;
      this.fail(new Error("connection closed"));
    });
  }

  static connect(target: Target): Promise<LoadClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port: target.port, host: "127.0.0.1", noDelay: true }, () => {
        s.removeListener("error", reject);
        resolve(new LoadClient(s, target));
      });
      s.once("error", reject);
    });
  }

  /** Queues data; everything queued in one tick leaves in one write. */
  send(data: string): void {
    if (this.out === "") process.nextTick(this.flush);
    this.out += data;
  }

  /** The next stanza not consumed by onStanza (login steps only). */
  next(): Promise<string> {
    const s = this.inbox.shift();
    if (s !== undefined) return Promise.resolve(s);
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Waits for a stanza matching `pred`, failing on a stream error or a SASL failure. */
  async expect(what: string, pred: (s: string) => boolean): Promise<string> {
    for (;;) {
      const s = await this.next();
      if (pred(s)) return s;
      if (s.startsWith("<stream:error") || s.startsWith("<failure")) throw new LoginError(`${what}: got ${s.slice(0, 200)}`);
      if (this.jid !== "") this.onStanza?.(s);
    }
  }

  private openStream(): void {
    this.send(
      `<?xml version='1.0'?><stream:stream to='${this.target.domain}' version='1.0' xml:lang='en' ` +
        `xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`,
    );
  }

  /**
   * Stream, SCRAM-SHA-1, restart, bind. Then, when asked, `<presence/>` plus a ping to the server, resolving
   * when the ping's reply arrives (the server handles a stream's stanzas in order, so presence was processed).
   */
  async login(
    username: string,
    password: string,
    opts: { resource?: string; presence?: boolean; timeoutMs?: number } = {},
  ): Promise<void> {
    const timer = setTimeout(() => {
      this.fail(new LoginError(`login of ${username} took more than ${opts.timeoutMs ?? 30_000} ms`));
      this.socket.destroy();
    }, opts.timeoutMs ?? 30_000);
    try {
      await this.loginSteps(username, password, opts);
    } finally {
      clearTimeout(timer);
    }
    this.loggingIn = false;
    // Whatever arrived beyond the last reply goes to the stanza handler from now on, in order.
    for (let s = this.inbox.shift(); s !== undefined; s = this.inbox.shift()) this.onStanza?.(s);
  }

  private async loginSteps(username: string, password: string, opts: { resource?: string; presence?: boolean }): Promise<void> {
    this.openStream();
    await this.expect("features", (s) => s.startsWith("<stream:features"));
    const nonce = randomBytes(12).toString("base64");
    const clientFirstBare = `n=${username},r=${nonce}`;
    this.send(`<auth xmlns='${SASL}' mechanism='SCRAM-SHA-1'>${b64("n,," + clientFirstBare)}</auth>`);
    const challenge = await this.expect("challenge", (s) => s.startsWith("<challenge"));
    const serverFirst = Buffer.from(innerText(challenge), "base64").toString();
    const f = Object.fromEntries(serverFirst.split(",").map((p) => [p[0], p.slice(2)]));
    if (!f.r?.startsWith(nonce) || !f.s || !f.i) throw new LoginError(`bad server-first: ${serverFirst}`);
    const keys = scramKeys(password, f.s, Number(f.i));
    const withoutProof = `c=biws,r=${f.r}`;
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const sig = createHmac("sha1", keys.storedKey).update(authMessage).digest();
    for (let i = 0; i < sig.length; i++) sig[i]! ^= keys.clientKey[i]!;
    this.send(`<response xmlns='${SASL}'>${b64(`${withoutProof},p=${sig.toString("base64")}`)}</response>`);
    const success = await this.expect("success", (s) => s.startsWith("<success"));
    const serverSig = createHmac("sha1", keys.serverKey).update(authMessage).digest("base64");
    if (Buffer.from(innerText(success), "base64").toString() !== `v=${serverSig}`) throw new LoginError("bad server signature");
    this.openStream();
    await this.expect("features after SASL", (s) => s.startsWith("<stream:features"));
    const resource = opts.resource ? `<resource>${opts.resource}</resource>` : "";
    this.send(`<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>${resource}</bind></iq>`);
    const bound = await this.expect("bind", (s) => s.startsWith("<iq") && attr(s, "id") === "b");
    if (attr(bound, "type") !== "result") throw new LoginError(`bind failed: ${bound.slice(0, 200)}`);
    this.jid = bound.slice(bound.indexOf("<jid>") + 5, bound.indexOf("</jid>"));
    if (opts.presence) {
      this.send(`<presence/><iq type='get' id='p' to='${this.target.domain}'><ping xmlns='urn:xmpp:ping'/></iq>`);
      const pong = await this.expect("ping", (s) => s.startsWith("<iq") && attr(s, "id") === "p");
      if (attr(pong, "type") !== "result") throw new LoginError(`ping failed: ${pong.slice(0, 300)}`);
    }
  }

  /** `</stream:stream>`; the socket closes when the server closes its side (or after `graceMs`). */
  close(graceMs = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once("close", () => resolve());
      this.send("</stream:stream>");
      setTimeout(() => this.socket.destroy(), graceMs).unref();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private fail(e: Error): void {
    this.error ??= e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(e);
  }

  private emit(stanza: string): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.resolve(stanza);
    } else if (!this.loggingIn) {
      this.onStanza?.(stanza);
    } else {
      this.inbox.push(stanza);
    }
  }

  private onData(chunk: string): void {
    let buf = this.buf + chunk;
    let pos = this.pos;
    for (;;) {
      const lt = buf.indexOf("<", pos);
      if (lt < 0) {
        pos = buf.length;
        break;
      }
      const c = buf.charCodeAt(lt + 1);
      if (c === 63 /* ? */) {
        const e = buf.indexOf("?>", lt);
        if (e < 0) {
          pos = lt;
          break;
        }
        pos = e + 2;
        continue;
      }
      const gt = buf.indexOf(">", lt);
      if (gt < 0) {
        pos = lt;
        break;
      }
      pos = gt + 1;
      if (c === 47 /* / */) {
        this.depth--;
        if (this.depth === 1) this.emit(buf.slice(this.start, pos));
        else if (this.depth === 0) this.socket.end();
      } else if (buf.charCodeAt(gt - 1) === 47) {
        if (this.depth === 1) this.emit(buf.slice(lt, pos));
      } else if (this.depth <= 1 && buf.startsWith("<stream:stream", lt)) {
        this.depth = 1;
      } else {
        if (this.depth === 1) this.start = lt;
        this.depth++;
      }
    }
    const keep = this.depth > 1 ? this.start : pos;
    this.buf = keep >= buf.length ? "" : buf.slice(keep);
    this.pos = pos - keep;
    this.start -= keep;
    buf = "";
  }
}

/** Runs `fn(i)` for i in [0, count) with at most `concurrency` at a time; rejects on the first failure. */
export async function inPool(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    while (next < count && failed === undefined) {
      const i = next++;
      try {
        await fn(i);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failed !== undefined) throw failed;
}

export interface SessionOptions {
  password: string;
  /** Logins in flight at once. */
  concurrency: number;
  presence: boolean;
  resource?: string;
  /** Handler for stanzas after login; the default drops them. */
  onStanza?: (client: LoadClient, stanza: string) => void;
}

/** Logs in one session per username, `concurrency` at a time; on failure closes what it opened and throws. */
export async function openSessions(target: Target, usernames: readonly string[], opts: SessionOptions): Promise<LoadClient[]> {
  const clients: LoadClient[] = new Array(usernames.length);
  try {
    await inPool(usernames.length, opts.concurrency, async (i) => {
      const c = await LoadClient.connect(target);
      clients[i] = c;
      const handler = opts.onStanza;
      c.onStanza = handler ? (s) => handler(c, s) : () => undefined;
      await c.login(usernames[i]!, opts.password, { presence: opts.presence, resource: opts.resource });
    });
  } catch (e) {
    await closeAll(clients.filter(Boolean));
    throw e;
  }
  return clients;
}

export async function closeAll(clients: readonly LoadClient[], graceMs = 10_000): Promise<void> {
  await Promise.all(clients.map((c) => c.close(graceMs)));
}
