// RFC 6120 §4 / §11: streaming parser for an XMPP stream (saxes, restricted XML, size/depth/attribute limits).
import { SaxesParser, type SaxesTagNS } from "saxes";
import { Element, type Attrs } from "./element.ts";
import { NS } from "../xmpp/namespaces.ts";
import { StreamError, type StreamErrorCondition } from "../xmpp/stream-error.ts";

export interface ParserLimits {
  maxStanzaBytes: number;
  maxDepth: number;
  maxAttrs: number;
}

export const DEFAULT_LIMITS: ParserLimits = Object.freeze({
  maxStanzaBytes: 256 * 1024,
  maxDepth: 32,
  maxAttrs: 64,
});

export interface StreamHandlers {
  /** The <stream:stream> open tag. `header` is an Element named "stream" with ns = http://etherx.jabber.org/streams,
   *  attrs holding to/from/id/version/xml:lang as given; `defaultNs` is the declared default namespace (e.g. "jabber:client") or undefined. */
  streamStart(header: Element, defaultNs: string | undefined): void;
  /** One complete top-level child of the stream (depth 1), with ns resolved on every element. */
  stanza(el: Element): void;
  /** </stream:stream> */
  streamEnd(): void;
  /** Fatal: the caller sends a stream error and closes. After an error the parser ignores further input. */
  error(err: StreamError): void;
}

/** Bytes allowed before the stream header is complete (XML declaration, whitespace, the header itself). */
const MAX_HEADER_BYTES = 16 * 1024;
/** Input is fed to saxes in slices of at most this many bytes, so a limit is noticed within one slice. */
const SLICE_BYTES = 16 * 1024;

const STREAM_DECODE: TextDecodeOptions = { stream: true };

/** Thrown from inside saxes callbacks to stop it mid-chunk (error, stream end, reset); never escapes write(). */
const ABORT: unique symbol = Symbol("abort");

type SaxOptions = { xmlns: true; forceXMLVersion: true; defaultXMLVersion: "1.0" };

/**
 * saxes's on() adds each handler property with a keyed store; after about seven of them V8 turns the parser
 * into a dictionary-mode object and parsing runs ~5x slower. Declaring them up front with named stores keeps
 * its shape fast. Only speed depends on these internal names, never behaviour: handlers are still set by on().
 */
class Sax extends SaxesParser<SaxOptions> {
  constructor() {
    super({ xmlns: true, forceXMLVersion: true, defaultXMLVersion: "1.0" });
    const t = this as unknown as Record<string, unknown>;
    t.xmldeclHandler = undefined;
    t.textHandler = undefined;
    t.piHandler = undefined;
    t.doctypeHandler = undefined;
    t.commentHandler = undefined;
    t.openTagStartHandler = undefined;
    t.attributeHandler = undefined;
    t.openTagHandler = undefined;
    t.closeTagHandler = undefined;
    t.cdataHandler = undefined;
    t.errorHandler = undefined;
    t.endHandler = undefined;
    t.readyHandler = undefined;
  }
}

function isWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * Emits the stream header, each stanza and the stream end; enforces RFC 6120 restricted XML and the limits.
 *
 * A closed stanza (or the stream close) is held until saxes has moved past its close tag, because saxes calls
 * the close handler before reporting a mismatched close tag: `<message>hi</stream:stream>` must be an error,
 * not a stanza followed by an error.
 *
 * If a handler calls reset(), the rest of the chunk being written is discarded: after `<starttls/>` any
 * plaintext that follows must be dropped, and after SASL a client may not restart before it saw `<success/>`.
 */
export class StreamParser {
  readonly #handlers: StreamHandlers;
  readonly #maxStanzaBytes: number;
  readonly #maxDepth: number;
  readonly #maxAttrs: number;

  #sax!: Sax;
  /** Fatal TextDecoder rather than StringDecoder: invalid UTF-8 must be refused (RFC 6120 §4.9.3.22), not
   *  turned into U+FFFD. Streaming mode carries sequences split across chunks. */
  #decoder!: TextDecoder;
  /** Bumped by reset(); a handler that resets makes the write in progress stop. */
  #gen = 0;
  /** After an error or the stream end: input is ignored until reset(). */
  #dead = false;
  /** Open elements: 0 before the header, 1 inside the stream, 2 inside a stanza, ... */
  #level = 0;
  #stack: Element[] = [];
  #top: Element | undefined;
  #pending: Element | undefined;
  #endPending = false;
  #closePos = -1;

  // Byte accounting. Positions are saxes's: UTF-16 offsets into everything fed since the last reset.
  /** Where the current stanza (or the gap before it, or the header) began: end of the previous stanza. */
  #boundary = 0;
  /** Bytes since #boundary, up to the start of the slice being fed (at its end, once fed). */
  #since = 0;
  /** Position of #cur[0]. */
  #base = 0;
  #cur = "";
  #curAscii = true;

  constructor(handlers: StreamHandlers, limits?: Partial<ParserLimits>) {
    this.#handlers = handlers;
    this.#maxStanzaBytes = limits?.maxStanzaBytes ?? DEFAULT_LIMITS.maxStanzaBytes;
    this.#maxDepth = limits?.maxDepth ?? DEFAULT_LIMITS.maxDepth;
    this.#maxAttrs = limits?.maxAttrs ?? DEFAULT_LIMITS.maxAttrs;
    this.#init();
  }

  /** Bytes of the stanza currently being received (0 between stanzas); lets the session see partial stanzas. */
  get pendingBytes(): number {
    return this.#level >= 2 ? this.#since : 0;
  }

  /** Fresh parser state for a stream restart (after STARTTLS / SASL success). Also clears a previous error. */
  reset(): void {
    this.#gen++;
    this.#init();
  }

  write(chunk: Buffer | string): void {
    if (this.#dead) return;
    if (typeof chunk === "string") {
      if (chunk.length <= SLICE_BYTES / 4) {
        this.#feed(chunk, Buffer.byteLength(chunk, "utf8"));
        return;
      }
      chunk = Buffer.from(chunk, "utf8");
    }
    const len = chunk.length;
    if (len <= SLICE_BYTES) {
      this.#feed(chunk, len);
      return;
    }
    const gen = this.#gen;
    for (let off = 0; off < len; off += SLICE_BYTES) {
      const end = Math.min(off + SLICE_BYTES, len);
      this.#feed(chunk.subarray(off, end), end - off);
      if (this.#dead || this.#gen !== gen) return;
    }
  }

  #init(): void {
    const sax = new Sax();
    sax.on("opentag", this.#onOpenTag);
    sax.on("closetag", this.#onCloseTag);
    sax.on("text", this.#onText);
    sax.on("cdata", this.#onText);
    sax.on("error", this.#onError);
    sax.on("doctype", this.#onRestricted);
    sax.on("comment", this.#onRestricted);
    sax.on("processinginstruction", this.#onRestricted);
    this.#sax = sax;
    this.#decoder = new TextDecoder("utf-8", { fatal: true });
    this.#dead = false;
    this.#level = 0;
    this.#stack = [];
    this.#top = undefined;
    this.#pending = undefined;
    this.#endPending = false;
    this.#closePos = -1;
    this.#boundary = 0;
    this.#since = 0;
    this.#base = 0;
    this.#cur = "";
    this.#curAscii = true;
  }

  #feed(input: Buffer | string, bytes: number): void {
    try {
      const s = typeof input === "string" ? input : this.#decode(input);
      if (s.length === 0) {
        this.#since += bytes; // a partial UTF-8 sequence held by the decoder
        return;
      }
      this.#cur = s;
      this.#curAscii = bytes === s.length;
      this.#sax.write(s);
      if (this.#pending !== undefined || this.#endPending) this.#flush();
      const base = this.#base;
      this.#since =
        this.#boundary >= base ? this.#byteLength(this.#boundary - base, s.length) : this.#since + bytes;
      this.#base = base + s.length;
      const level = this.#level;
      if (level >= 2) {
        if (this.#since > this.#maxStanzaBytes) this.#fail("policy-violation", "stanza too large");
      } else if (level === 1) {
        if (this.#since > this.#maxStanzaBytes) this.#fail("policy-violation", "too much data between stanzas");
      } else if (this.#since > MAX_HEADER_BYTES) {
        this.#fail("policy-violation", "stream header too large");
      }
    } catch (e) {
      if (e !== ABORT) {
        this.#dead = true; // saxes is in an unknown state after a handler threw through it
        throw e;
      }
    }
  }

  #decode(buf: Buffer): string {
    try {
      return this.#decoder.decode(buf, STREAM_DECODE);
    } catch {
      this.#fail("unsupported-encoding", "invalid UTF-8");
    }
  }

  /** UTF-8 length of #cur[from, to). */
  #byteLength(from: number, to: number): number {
    if (this.#curAscii) return to - from;
    const s = this.#cur;
    return Buffer.byteLength(from === 0 && to === s.length ? s : s.slice(from, to), "utf8");
  }

  /** Whether the bytes from #boundary to saxes position `pos` (inside the current slice) exceed `limit`. */
  #exceeds(pos: number, limit: number): boolean {
    const base = this.#base;
    let from = 0;
    let bytes = this.#since;
    if (this.#boundary >= base) {
      from = this.#boundary - base;
      bytes = 0;
    }
    const to = pos - base;
    // One UTF-16 unit is at most 3 UTF-8 bytes, so usually no need to count.
    if (bytes + 3 * (to - from) <= limit) return false;
    return bytes + this.#byteLength(from, to) > limit;
  }

  #fail(condition: StreamErrorCondition, text: string): never {
    if (!this.#dead) {
      this.#dead = true;
      this.#handlers.error(new StreamError(condition, text));
    }
    throw ABORT;
  }

  /** Emits the held stanza or stream end; saxes has moved past its close tag without complaint. */
  #flush(): void {
    if (this.#endPending) {
      this.#endPending = false;
      this.#dead = true;
      this.#handlers.streamEnd();
      throw ABORT;
    }
    const el = this.#pending!;
    this.#pending = undefined;
    const gen = this.#gen;
    this.#handlers.stanza(el);
    if (this.#gen !== gen) throw ABORT;
  }

  #build(tag: SaxesTagNS): Element {
    const attrs: Attrs = {};
    const src = tag.attributes;
    let count = 0;
    for (const qname in src) {
      count++;
      const a = src[qname]!;
      const prefix = a.prefix;
      if (prefix === "") {
        if (qname !== "xmlns") attrs[qname] = a.value;
      } else if (prefix === "xml") {
        attrs[qname] = a.value;
      } else if (prefix !== "xmlns") {
        attrs[qname] = a.value;
        attrs["xmlns:" + prefix] = a.uri;
      }
    }
    if (count > this.#maxAttrs) this.#fail("policy-violation", "too many attributes");
    return new Element(tag.local, tag.uri, attrs, []);
  }

  #onOpenTag = (tag: SaxesTagNS): void => {
    if (this.#pending !== undefined) this.#flush();
    const level = ++this.#level;
    if (level === 1) {
      this.#onStreamStart(tag);
      return;
    }
    if (level - 1 > this.#maxDepth) this.#fail("policy-violation", "stanza nested too deeply");
    const el = this.#build(tag);
    if (level > 2) this.#top!.children.push(el);
    this.#stack.push(el);
    this.#top = el;
  };

  #onStreamStart(tag: SaxesTagNS): void {
    if (tag.local !== "stream") this.#fail("bad-format", "expected a stream header");
    if (tag.uri !== NS.STREAM) this.#fail("invalid-namespace", "stream element not in " + NS.STREAM);
    const enc = this.#sax.xmlDecl.encoding;
    if (enc !== undefined && enc.toLowerCase() !== "utf-8") this.#fail("unsupported-encoding", "only UTF-8 is supported");
    const pos = this.#sax.position;
    if (this.#exceeds(pos, MAX_HEADER_BYTES)) this.#fail("policy-violation", "stream header too large");
    const header = this.#build(tag);
    const declared = tag.ns[""];
    this.#boundary = pos;
    const gen = this.#gen;
    this.#handlers.streamStart(header, declared === undefined || declared === "" ? undefined : declared);
    if (this.#gen !== gen || this.#dead) throw ABORT;
  }

  #onCloseTag = (): void => {
    if (this.#pending !== undefined) this.#flush();
    const level = this.#level--;
    const stack = this.#stack;
    if (level > 2) {
      stack.pop();
      this.#top = stack[stack.length - 1];
      return;
    }
    const pos = this.#sax.position;
    this.#closePos = pos;
    if (level === 1) {
      this.#endPending = true;
      return;
    }
    if (this.#exceeds(pos, this.#maxStanzaBytes)) this.#fail("policy-violation", "stanza too large");
    this.#pending = stack.pop();
    this.#top = undefined;
    this.#boundary = pos;
  };

  #onText = (text: string): void => {
    if (this.#pending !== undefined || this.#endPending) this.#flush();
    if (this.#level >= 2) {
      const kids = this.#top!.children;
      const n = kids.length;
      if (n > 0 && typeof kids[n - 1] === "string") kids[n - 1] += text;
      else kids.push(text);
    } else if (this.#level === 1 && !isWhitespace(text)) {
      this.#fail("bad-format", "text outside stanzas");
    }
  };

  #onError = (err: Error): void => {
    if (this.#pending !== undefined || this.#endPending) {
      // Reported at the very position of the close tag: saxes is rejecting that tag itself.
      if (this.#sax.position === this.#closePos) {
        this.#pending = undefined;
        this.#endPending = false;
      } else {
        this.#flush();
      }
    }
    const msg = err.message;
    this.#fail(msg.includes("doctype") ? "restricted-xml" : "not-well-formed", msg);
  };

  #onRestricted = (): void => {
    if (this.#pending !== undefined || this.#endPending) this.#flush();
    this.#fail("restricted-xml", "comments, processing instructions and DTDs are not allowed");
  };
}
