import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { StreamParser, DEFAULT_LIMITS, type ParserLimits } from "../../src/xml/parser.ts";
import type { Element } from "../../src/xml/element.ts";
import type { StreamError } from "../../src/xmpp/stream-error.ts";
import { NS } from "../../src/xmpp/namespaces.ts";

type Event =
  | { type: "start"; header: Element; defaultNs: string | undefined }
  | { type: "stanza"; el: Element }
  | { type: "end" }
  | { type: "error"; err: StreamError };

function collect(limits?: Partial<ParserLimits>) {
  const events: Event[] = [];
  const parser = new StreamParser(
    {
      streamStart: (header, defaultNs) => events.push({ type: "start", header, defaultNs }),
      stanza: (el) => events.push({ type: "stanza", el }),
      streamEnd: () => events.push({ type: "end" }),
      error: (err) => events.push({ type: "error", err }),
    },
    limits,
  );
  const stanzas = () => events.flatMap((e) => (e.type === "stanza" ? [e.el] : []));
  const errors = () => events.flatMap((e) => (e.type === "error" ? [e.err] : []));
  const types = () => events.map((e) => e.type);
  return { parser, events, stanzas, errors, types };
}

const HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
  "to='example.org' from='juliet@example.org' id='s1' version='1.0' xml:lang='en'>";

/** A parser that already received HEADER. */
function open(limits?: Partial<ParserLimits>) {
  const c = collect(limits);
  c.parser.write(HEADER);
  assert.deepEqual(c.types(), ["start"]);
  return c;
}

function only<T>(items: T[]): T {
  assert.equal(items.length, 1, `expected exactly one, got ${items.length}`);
  return items[0]!;
}

function chunks(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

describe("stream header", () => {
  test("name, ns, attributes and default namespace", () => {
    const c = collect();
    c.parser.write(HEADER);
    const ev = only(c.events);
    assert.equal(ev.type, "start");
    if (ev.type !== "start") return;
    assert.equal(ev.header.name, "stream");
    assert.equal(ev.header.ns, NS.STREAM);
    assert.deepEqual(ev.header.attrs, {
      to: "example.org",
      from: "juliet@example.org",
      id: "s1",
      version: "1.0",
      "xml:lang": "en",
    });
    assert.equal(ev.defaultNs, "jabber:client");
  });

  test("jabber:server default namespace, no XML declaration, header split into single bytes", () => {
    const c = collect();
    const header = Buffer.from(
      "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:server' to='a.example' version='1.0'>",
    );
    for (const b of chunks(header, 1)) c.parser.write(b);
    const ev = only(c.events);
    assert.ok(ev.type === "start");
    assert.equal(ev.defaultNs, "jabber:server");
    assert.deepEqual(ev.header.attrs, { to: "a.example", version: "1.0" });
  });

  test("no default namespace declared gives undefined, and stanzas get the empty namespace", () => {
    const c = collect();
    c.parser.write("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'><message/>");
    const ev = c.events[0]!;
    assert.ok(ev.type === "start");
    assert.equal(ev.defaultNs, undefined);
    assert.equal(only(c.stanzas()).ns, "");
  });

  test("a stanza in the same chunk as the header", () => {
    const c = collect();
    c.parser.write(HEADER + "<presence/>");
    assert.deepEqual(c.types(), ["start", "stanza"]);
  });
});

describe("stanzas", () => {
  test("namespaces resolved on every element; xmlns declarations are not attributes", () => {
    const c = open();
    c.parser.write(
      "<iq type='get' id='r1'><query xmlns='jabber:iq:roster' ver='v1'><item jid='romeo@example.net'/></query></iq>",
    );
    const iq = only(c.stanzas());
    assert.equal(iq.name, "iq");
    assert.equal(iq.ns, "jabber:client");
    assert.deepEqual(iq.attrs, { type: "get", id: "r1" });
    const query = iq.getChild("query", "jabber:iq:roster");
    assert.ok(query);
    assert.deepEqual(query.attrs, { ver: "v1" });
    const item = query.getChild("item");
    assert.equal(item?.ns, "jabber:iq:roster");
    assert.equal(item?.attrs.jid, "romeo@example.net");
  });

  test("prefixed child elements get their namespace; unprefixed children below keep the default", () => {
    const c = open();
    c.parser.write(
      "<message xmlns:foo='urn:example:foo'><foo:bar><baz/></foo:bar><stream:features/></message>",
    );
    const msg = only(c.stanzas());
    const bar = msg.getChild("bar", "urn:example:foo");
    assert.ok(bar);
    assert.equal(bar.name, "bar");
    assert.deepEqual(bar.attrs, {});
    assert.equal(bar.getChild("baz")?.ns, "jabber:client");
    assert.equal(msg.getChild("features")?.ns, NS.STREAM);
    assert.deepEqual(msg.attrs, {});
  });

  test("prefixed attributes keep their qualified name and their prefix declaration, and re-serialise", () => {
    const c = open();
    c.parser.write("<message xmlns:foo='urn:example:foo' foo:x='1' xml:lang='de' type='chat'/>");
    const msg = only(c.stanzas());
    assert.deepEqual(msg.attrs, { "foo:x": "1", "xmlns:foo": "urn:example:foo", "xml:lang": "de", type: "chat" });
    const again = open();
    again.parser.write(msg.toString("jabber:client"));
    assert.deepEqual(only(again.stanzas()).attrs, msg.attrs);
  });

  test("text is decoded; whitespace-only text inside a stanza is kept; CDATA is text", () => {
    const c = open();
    c.parser.write(
      "<message><body>a &amp; b &lt;c&gt; &quot;&apos; &#233;&#x1F600;</body><x>  </x>\n<y><![CDATA[<b>&amp;]]>!</y></message>",
    );
    const msg = only(c.stanzas());
    assert.equal(msg.getChildText("body"), "a & b <c> \"' é😀");
    assert.deepEqual(msg.getChild("x")?.children, ["  "]);
    assert.deepEqual(msg.children[2], "\n");
    assert.deepEqual(msg.getChild("y")?.children, ["<b>&amp;!"]);
  });

  test("a stanza fed one byte at a time, including a 4-byte emoji split across Buffers", () => {
    const c = open();
    const xml = "<message type='chat'><body>hé 😀 ok</body></message>";
    for (const b of chunks(Buffer.from(xml), 1)) c.parser.write(b);
    const msg = only(c.stanzas());
    assert.equal(msg.getChildText("body"), "hé 😀 ok");
    assert.equal(msg.attrs.type, "chat");
  });

  test("the emoji survives a Buffer boundary at every offset", () => {
    const xml = Buffer.from("<message><body>😀😀</body></message>");
    for (let cut = 1; cut < xml.length; cut++) {
      const c = open();
      c.parser.write(xml.subarray(0, cut));
      c.parser.write(xml.subarray(cut));
      assert.equal(only(c.stanzas()).getChildText("body"), "😀😀", `cut at ${cut}`);
    }
  });

  test("many stanzas in one chunk arrive in order", () => {
    const c = open();
    let xml = "";
    for (let i = 0; i < 100; i++) xml += `<message id='m${i}'/>`;
    c.parser.write(Buffer.from(xml));
    assert.deepEqual(
      c.stanzas().map((s) => s.attrs.id),
      Array.from({ length: 100 }, (_, i) => `m${i}`),
    );
  });

  test("a large stream in 4 KB chunks", () => {
    const c = open();
    let xml = "";
    for (let i = 0; i < 2000; i++) xml += `<message id='${i}'><body>message ${i} 😀 &amp;</body></message> `;
    for (const b of chunks(Buffer.from(xml), 4096)) c.parser.write(b);
    assert.equal(c.stanzas().length, 2000);
    assert.equal(c.stanzas()[1999]!.getChildText("body"), "message 1999 😀 &");
  });

  test("pendingBytes counts a partial stanza and is 0 between stanzas", () => {
    const c = open();
    assert.equal(c.parser.pendingBytes, 0);
    c.parser.write("<message><body>");
    assert.equal(c.parser.pendingBytes, Buffer.byteLength("<message><body>"));
    c.parser.write("ééé");
    assert.equal(c.parser.pendingBytes, Buffer.byteLength("<message><body>ééé"));
    c.parser.write("</body></message>");
    assert.equal(c.parser.pendingBytes, 0);
    assert.equal(c.stanzas().length, 1);
  });

  test("whitespace keepalives between stanzas are ignored", () => {
    const c = open();
    c.parser.write(" ");
    c.parser.write("\n\t \r\n");
    c.parser.write("<presence/> ");
    c.parser.write("  ");
    c.parser.write("<presence/>");
    c.parser.write(" ");
    assert.deepEqual(c.types(), ["start", "stanza", "stanza"]);
  });

  test("stream end", () => {
    const c = open();
    c.parser.write("<message/></stream:stream>");
    assert.deepEqual(c.types(), ["start", "stanza", "end"]);
    c.parser.write("<message/>");
    assert.deepEqual(c.types(), ["start", "stanza", "end"]);
  });

  test("stream end split across writes", () => {
    const c = open();
    c.parser.write("</stream:str");
    assert.deepEqual(c.types(), ["start"]);
    c.parser.write("eam>");
    assert.deepEqual(c.types(), ["start", "end"]);
  });
});

describe("reset", () => {
  test("a restart accepts a new XML declaration and header", () => {
    const c = open();
    c.parser.write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
    c.parser.reset();
    c.parser.write(HEADER + "<iq type='set' id='b'/>");
    assert.deepEqual(c.types(), ["start", "stanza", "start", "stanza"]);
  });

  test("a partial stanza is dropped by reset", () => {
    const c = open();
    c.parser.write("<message><body>half");
    c.parser.reset();
    assert.equal(c.parser.pendingBytes, 0);
    c.parser.write(HEADER + "<presence/>");
    assert.deepEqual(c.types(), ["start", "start", "stanza"]);
    assert.equal(c.stanzas()[0]!.name, "presence");
  });

  test("reset from a stanza handler discards the rest of that write", () => {
    const seen: string[] = [];
    const parser: StreamParser = new StreamParser({
      streamStart: () => seen.push("start"),
      stanza: (el) => {
        seen.push(el.name);
        if (el.name === "starttls") parser.reset();
      },
      streamEnd: () => seen.push("end"),
      error: (e) => seen.push("error " + e.condition),
    });
    parser.write(HEADER);
    // Plaintext injected after <starttls/> must not reach the new stream.
    parser.write(Buffer.from("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><message/>" + "x".repeat(40_000)));
    assert.deepEqual(seen, ["start", "starttls"]);
    parser.write(HEADER + "<presence/>");
    assert.deepEqual(seen, ["start", "starttls", "start", "presence"]);
  });

  test("reset clears a previous error", () => {
    const c = open();
    c.parser.write("<!-- no -->");
    assert.equal(c.errors().length, 1);
    c.parser.reset();
    c.parser.write(HEADER + "<presence/>");
    assert.deepEqual(c.types(), ["start", "error", "start", "stanza"]);
  });
});

describe("rejections", () => {
  function rejects(input: string | Buffer[], condition: string, limits?: Partial<ParserLimits>, withHeader = true) {
    const c = withHeader ? open(limits) : collect(limits);
    const before = c.events.length;
    if (typeof input === "string") c.parser.write(input);
    else for (const b of input) c.parser.write(b);
    const after = c.events.slice(before);
    assert.equal(after.length, 1, `events: ${after.map((e) => e.type).join(",")}`);
    const ev = after[0]!;
    assert.ok(ev.type === "error", `expected an error, got ${ev.type}`);
    assert.equal(ev.err.condition, condition, ev.err.message);
    // Nothing more once failed, whatever arrives.
    c.parser.write("<message/>");
    c.parser.write(Buffer.from("</stream:stream>"));
    assert.equal(c.events.length, before + 1);
    return ev.err;
  }

  const LAUGHS =
    "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>" +
    Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} '${`&lol${i || ""};`.repeat(10)}'>`).join("") +
    "]>";

  test("billion laughs before the header: restricted-xml, fast, no expansion", () => {
    const t0 = performance.now();
    rejects(LAUGHS + "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'><message>&lol9;</message>", "restricted-xml", undefined, false);
    assert.ok(performance.now() - t0 < 500);
  });

  test("DOCTYPE inside the stream: restricted-xml", () => {
    rejects("<!DOCTYPE message>", "restricted-xml");
  });

  test("processing instruction inside the stream and inside a stanza: restricted-xml", () => {
    rejects("<?php echo 1; ?>", "restricted-xml");
    rejects("<message><?foo bar?></message>", "restricted-xml");
  });

  test("processing instruction before the header: restricted-xml", () => {
    rejects("<?foo?>" + HEADER, "restricted-xml", undefined, false);
  });

  test("comments, at stream level and inside a stanza: restricted-xml", () => {
    rejects("<!-- hello -->", "restricted-xml");
    rejects("<message><body>x<!-- hello --></body></message>", "restricted-xml");
    rejects("<!-- hi -->" + HEADER, "restricted-xml", undefined, false);
  });

  test("undefined entity: not-well-formed", () => {
    rejects("<message><body>&nbsp;</body></message>", "not-well-formed");
  });

  test("mismatched tags: not-well-formed and no stanza", () => {
    rejects("<message><body>hi</message>", "not-well-formed");
    rejects("<message>hi</stream:stream>", "not-well-formed");
    rejects("<message><a></b></message>", "not-well-formed");
  });

  test("a valid stanza before a mismatched close still arrives", () => {
    const c = open();
    c.parser.write("<presence/> <message>hi</presence>");
    assert.deepEqual(c.types(), ["start", "stanza", "error"]);
    assert.equal(c.stanzas()[0]!.name, "presence");
    const d = open();
    d.parser.write("<message/></foo>");
    assert.deepEqual(d.types(), ["start", "stanza", "error"]);
    assert.equal(d.errors()[0]!.condition, "not-well-formed");
  });

  test("unbound prefix, duplicate attribute, control character: not-well-formed", () => {
    rejects("<foo:bar/>", "not-well-formed");
    rejects("<message id='1' id='2'/>", "not-well-formed");
    rejects("<message><body>\u0001</body></message>", "not-well-formed");
  });

  test("invalid UTF-8: unsupported-encoding", () => {
    rejects([Buffer.from("<message><body>"), Buffer.from([0xc3, 0x28]), Buffer.from("</body></message>")], "unsupported-encoding");
    rejects([Buffer.from("<message><body>"), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from("</body></message>")], "unsupported-encoding");
  });

  test("non-UTF-8 encoding declared: unsupported-encoding", () => {
    rejects("<?xml version='1.0' encoding='ISO-8859-1'?>" + HEADER.slice(HEADER.indexOf("<stream")), "unsupported-encoding", undefined, false);
  });

  test("non-whitespace text between stanzas: bad-format", () => {
    rejects("hello<message/>", "bad-format");
    rejects("<![CDATA[x]]>", "bad-format");
  });

  test("first element not a stream: bad-format", () => {
    rejects("<message xmlns='jabber:client'/>", "bad-format", undefined, false);
  });

  test("stream element in the wrong namespace: invalid-namespace", () => {
    rejects("<stream:stream xmlns:stream='urn:wrong'>", "invalid-namespace", undefined, false);
    rejects("<stream xmlns='jabber:client'>", "invalid-namespace", undefined, false);
  });

  test("oversized text node in many small chunks: policy-violation near the limit", () => {
    const c = open();
    c.parser.write("<message><body>");
    const chunk = Buffer.alloc(4096, "a");
    let written = 0;
    const t0 = performance.now();
    while (c.errors().length === 0 && written < 10 * 1024 * 1024) {
      c.parser.write(chunk);
      written += chunk.length;
    }
    const err = only(c.errors());
    assert.equal(err.condition, "policy-violation");
    assert.match(err.text ?? "", /too large/);
    assert.ok(written > DEFAULT_LIMITS.maxStanzaBytes - 4096, `cut too early at ${written}`);
    assert.ok(written <= DEFAULT_LIMITS.maxStanzaBytes + 4096, `cut at ${written}`);
    assert.ok(performance.now() - t0 < 1000);
    c.parser.write("</body></message>");
    assert.equal(c.stanzas().length, 0);
  });

  test("oversized attribute value in many small chunks: policy-violation", () => {
    const c = open();
    c.parser.write("<message id='");
    let written = 0;
    while (c.errors().length === 0 && written < 10 * 1024 * 1024) {
      c.parser.write("b".repeat(1000));
      written += 1000;
    }
    assert.equal(only(c.errors()).condition, "policy-violation");
    assert.ok(written <= DEFAULT_LIMITS.maxStanzaBytes + 1000);
  });

  test("oversized stanza in one write: policy-violation, no stanza", () => {
    rejects([Buffer.from(`<message><body>${"c".repeat(300 * 1024)}</body></message>`)], "policy-violation");
  });

  test("the byte limit is exact and counts bytes, not characters", () => {
    const limit = 1000;
    const shell = "<message><body></body></message>";
    const fill = (bytes: number) => "é".repeat(Math.floor(bytes / 2)) + "a".repeat(bytes % 2);
    const fits = open({ maxStanzaBytes: limit });
    const ok = `<message><body>${fill(limit - shell.length)}</body></message>`;
    assert.equal(Buffer.byteLength(ok), limit);
    fits.parser.write(ok);
    assert.equal(fits.stanzas().length, 1);
    assert.equal(fits.errors().length, 0);
    rejects(`<message><body>${fill(limit - shell.length + 1)}</body></message>`, "policy-violation", { maxStanzaBytes: limit });
  });

  test("a stanza just under the default limit is accepted in 4 KB chunks", () => {
    const c = open();
    const xml = Buffer.from(`<message><body>${"d".repeat(DEFAULT_LIMITS.maxStanzaBytes - 100)}</body></message>`);
    for (const b of chunks(xml, 4096)) c.parser.write(b);
    assert.equal(c.errors().length, 0);
    assert.equal(c.stanzas().length, 1);
  });

  test("unbounded whitespace between stanzas: policy-violation", () => {
    const c = open();
    const spaces = " ".repeat(4096);
    for (let i = 0; i < 200 && c.errors().length === 0; i++) c.parser.write(spaces);
    assert.equal(only(c.errors()).condition, "policy-violation");
  });

  test("oversized stream header: policy-violation", () => {
    const c = collect();
    c.parser.write("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='");
    for (let i = 0; i < 100 && c.errors().length === 0; i++) c.parser.write("e".repeat(1024));
    assert.equal(only(c.errors()).condition, "policy-violation");
  });

  test("depth: maxDepth levels accepted, one more is policy-violation", () => {
    const nest = (depth: number) => "<a>".repeat(depth) + "</a>".repeat(depth);
    const c = open();
    c.parser.write(nest(DEFAULT_LIMITS.maxDepth));
    assert.equal(c.stanzas().length, 1);
    rejects(nest(DEFAULT_LIMITS.maxDepth + 1), "policy-violation");
    rejects(nest(4), "policy-violation", { maxDepth: 3 });
  });

  test("attributes: maxAttrs accepted, one more is policy-violation", () => {
    const tag = (n: number) => `<message ${Array.from({ length: n }, (_, i) => `a${i}='${i}'`).join(" ")}/>`;
    const c = open();
    c.parser.write(tag(DEFAULT_LIMITS.maxAttrs));
    assert.equal(Object.keys(only(c.stanzas()).attrs).length, DEFAULT_LIMITS.maxAttrs);
    rejects(tag(DEFAULT_LIMITS.maxAttrs + 1), "policy-violation");
    // Namespace declarations count too: the header above has 7 attributes.
    rejects(`<message><x>${tag(9)}</x></message>`, "policy-violation", { maxAttrs: 8 });
  });

  test("after an error, the rest of the same write yields nothing", () => {
    const c = open();
    c.parser.write("<presence/><!-- x --><message/><iq/></stream:stream>");
    assert.deepEqual(c.types(), ["start", "stanza", "error"]);
  });

  test("a handler that throws propagates, and the parser stops", () => {
    let calls = 0;
    const parser = new StreamParser({
      streamStart() {},
      stanza() {
        calls++;
        throw new Error("handler bug");
      },
      streamEnd() {},
      error() {},
    });
    parser.write(HEADER);
    assert.throws(() => parser.write("<message/><message/>"), /handler bug/);
    parser.write("<message/>");
    assert.equal(calls, 1);
  });
});
