import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { Element, x, escapeText, escapeAttr, serialize } from "../../src/xml/element.ts";
import { StreamParser } from "../../src/xml/parser.ts";

/** Parses one stanza the way the server receives it (default namespace jabber:client). */
function parseStanza(xml: string): Element {
  const got: Element[] = [];
  const errors: string[] = [];
  const p = new StreamParser({
    streamStart() {},
    stanza: (el) => got.push(el),
    streamEnd() {},
    error: (e) => errors.push(e.message),
  });
  p.write("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" + xml);
  assert.deepEqual(errors, []);
  assert.equal(got.length, 1);
  return got[0]!;
}

describe("escaping", () => {
  test("text escapes & < > and leaves quotes alone", () => {
    assert.equal(escapeText(`a & b < c > d "e" 'f'`), `a &amp; b &lt; c &gt; d "e" 'f'`);
    assert.equal(escapeText("plain"), "plain");
    assert.equal(escapeText("&&"), "&amp;&amp;");
  });

  test("attributes escape quotes and whitespace that attribute normalisation would change", () => {
    assert.equal(escapeAttr(`<"a" & 'b'>`), "&lt;&quot;a&quot; &amp; &apos;b&apos;&gt;");
    assert.equal(escapeAttr("1\t2\n3\r4"), "1&#9;2&#10;3&#13;4");
    assert.equal(escapeAttr("plain"), "plain");
  });

  test("escaping is not stateful between calls", () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(escapeText("<x>"), "&lt;x&gt;");
      assert.equal(escapeAttr("'"), "&apos;");
    }
  });

  test("serialised text and attributes survive a parse round trip", () => {
    const nasty = `</body><script>&amp; "q" 'a' \t\n\r\n é😀 ]]>`;
    const el = x("message", { to: nasty, type: "chat" }, x("body", null, nasty));
    const back = parseStanza(el.toString("jabber:client"));
    assert.equal(back.attrs.to, nasty);
    // Text content: XML turns CR and CRLF into LF, attributes keep them as the serializer encodes them.
    assert.equal(back.getChildText("body"), nasty.replace(/\r\n?/g, "\n"));
  });
});

describe("serialize", () => {
  test("empty element self-closes; children in order", () => {
    assert.equal(x("presence").toString(), "<presence/>");
    assert.equal(x("a", null, "t", x("b"), "u").toString(), "<a>t<b/>u</a>");
  });

  test("xmlns written only where the namespace changes", () => {
    const el = x(
      "iq",
      { type: "result", xmlns: "jabber:client" },
      x("query", { xmlns: "jabber:iq:roster" }, x("item", { jid: "a@b" }), x("group", { xmlns: "jabber:iq:roster" })),
    );
    assert.equal(
      el.toString(),
      '<iq xmlns="jabber:client" type="result"><query xmlns="jabber:iq:roster"><item jid="a@b"/><group/></query></iq>',
    );
    assert.equal(
      el.toString("jabber:client"),
      '<iq type="result"><query xmlns="jabber:iq:roster"><item jid="a@b"/><group/></query></iq>',
    );
    assert.equal(serialize(el, "jabber:client"), el.toString("jabber:client"));
  });

  test("a parsed stanza re-serialises to equivalent XML", () => {
    const xml =
      "<message type='chat' id='1'><body>hi &amp; bye</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>";
    const once = parseStanza(xml);
    const text = once.toString("jabber:client");
    assert.equal(
      text,
      '<message type="chat" id="1"><body>hi &amp; bye</body><active xmlns="http://jabber.org/protocol/chatstates"/></message>',
    );
    assert.equal(parseStanza(text).toString("jabber:client"), text);
  });
});

describe("x() builder", () => {
  test("xmlns becomes the namespace; undefined and null attributes are dropped; numbers become strings", () => {
    const el = x("item", { xmlns: "urn:x", jid: "a@b", name: undefined, subscription: null, priority: 5 });
    assert.equal(el.name, "item");
    assert.equal(el.ns, "urn:x");
    assert.deepEqual(el.attrs, { jid: "a@b", priority: "5" });
  });

  test("children: arrays are flattened, false/null/undefined skipped", () => {
    const show = false as boolean;
    const el = x("p", null, [x("a"), "t"], show && x("show"), null, undefined, x("b"));
    assert.deepEqual(
      el.children.map((c) => (typeof c === "string" ? c : c.name)),
      ["a", "t", "b"],
    );
  });

  test("no attributes: ns undefined (inherits when serialised)", () => {
    const el = x("body", undefined, "hi");
    assert.equal(el.ns, undefined);
    assert.equal(x("message", { xmlns: "jabber:client" }, el).toString(), '<message xmlns="jabber:client"><body>hi</body></message>');
  });
});

describe("Element navigation", () => {
  const msg = parseStanza(
    "<message><body>one</body><x xmlns='urn:a'>a1</x><x xmlns='urn:b'>b</x><x xmlns='urn:a'>a2</x>text<thread/></message>",
  );

  test("is()", () => {
    assert.ok(msg.is("message"));
    assert.ok(msg.is("message", "jabber:client"));
    assert.ok(!msg.is("message", "jabber:server"));
    assert.ok(!msg.is("iq"));
  });

  test("getChild with and without namespace", () => {
    assert.equal(msg.getChild("x")?.text(), "a1");
    assert.equal(msg.getChild("x", "urn:b")?.text(), "b");
    assert.equal(msg.getChild("x", "urn:c"), undefined);
    assert.equal(msg.getChild("missing"), undefined);
  });

  test("getChildren", () => {
    assert.deepEqual(
      msg.getChildren("x", "urn:a").map((c) => c.text()),
      ["a1", "a2"],
    );
    assert.equal(msg.getChildren("x").length, 3);
    assert.deepEqual(msg.getChildren("nope"), []);
  });

  test("elements, firstElement, text, getChildText", () => {
    assert.deepEqual(
      msg.elements().map((e) => e.name),
      ["body", "x", "x", "x", "thread"],
    );
    assert.equal(msg.firstElement()?.name, "body");
    assert.equal(x("empty", null, "only text").firstElement(), undefined);
    assert.equal(msg.text(), "text");
    assert.equal(msg.getChildText("body"), "one");
    assert.equal(msg.getChildText("thread"), "");
    assert.equal(msg.getChildText("subject"), undefined);
  });

  test("append skips empty values and chains", () => {
    const el = new Element("a");
    const ret = el.append(x("b"), undefined, null, false, "t");
    assert.equal(ret, el);
    assert.equal(el.toString(), "<a><b/>t</a>");
  });

  test("clone is independent of the original", () => {
    const orig = x("iq", { type: "get" }, x("query", { xmlns: "urn:q" }, x("item")));
    const copy = orig.clone();
    assert.equal(copy.toString(), orig.toString());
    copy.attrs.type = "set";
    copy.getChild("query")!.append(x("extra"));
    copy.children.push("tail");
    assert.equal(orig.attrs.type, "get");
    assert.equal(orig.toString(), '<iq type="get"><query xmlns="urn:q"><item/></query></iq>');
  });
});
