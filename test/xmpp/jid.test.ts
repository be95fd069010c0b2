import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  Jid,
  JidError,
  makeJid,
  parseJid,
  prepDomainpart,
  prepLocalpart,
  prepResourcepart,
  tryParseJid,
} from "../../src/xmpp/jid.ts";

type Parts = [local: string | undefined, domain: string, resource: string | undefined];

function parts(j: Jid): Parts {
  return [j.local, j.domain, j.resource];
}

function assertJidError(fn: () => unknown, part: "localpart" | "domainpart" | "resourcepart"): void {
  assert.throws(fn, (e: unknown) => e instanceof JidError && e.message.includes(part), `expected a JidError about the ${part}`);
}

describe("RFC 7622 §3.5 Table 1: valid JIDs", () => {
  const cases: [string, Parts][] = [
    ["juliet@example.com", ["juliet", "example.com", undefined]],
    ["juliet@example.com/foo", ["juliet", "example.com", "foo"]],
    ["juliet@example.com/foo bar", ["juliet", "example.com", "foo bar"]],
    ["juliet@example.com/foo@bar", ["juliet", "example.com", "foo@bar"]],
    ["foo\\20bar@example.com", ["foo\\20bar", "example.com", undefined]],
    ["fussball@example.com", ["fussball", "example.com", undefined]],
    ["fußball@example.com", ["fußball", "example.com", undefined]],
    ["π@example.com", ["π", "example.com", undefined]],
    ["Σ@example.com", ["σ", "example.com", undefined]],
    ["σ@example.com", ["σ", "example.com", undefined]],
    ["ς@example.com", ["ς", "example.com", undefined]],
    ["king@example.com/♚", ["king", "example.com", "♚"]],
    ["example.com", [undefined, "example.com", undefined]],
    ["example.com/foobar", [undefined, "example.com", "foobar"]],
    ["a.example.com/b@example.net", [undefined, "a.example.com", "b@example.net"]],
    // Example 18 ("Leading space in resourcepart") was removed by erratum 4560: OpaqueString allows it.
    ["juliet@example.com/ foo", ["juliet", "example.com", " foo"]],
  ];
  for (const [input, expected] of cases) {
    test(input, () => {
      assert.deepEqual(parts(parseJid(input)), expected);
    });
  }
});

describe("RFC 7622 §3.5 Table 2: invalid JIDs", () => {
  const cases: [string, "localpart" | "domainpart" | "resourcepart"][] = [
    ['"juliet"@example.com', "localpart"],
    ["foo bar@example.com", "localpart"],
    ["@example.com/", "localpart"],
    ["henry\u2163@example.com", "localpart"],
    ["♚@example.com", "localpart"],
    ["juliet@", "domainpart"],
    ["/foobar", "domainpart"],
  ];
  for (const [input, part] of cases) {
    test(`${input} (bad ${part})`, () => {
      assertJidError(() => parseJid(input), part);
      assert.equal(tryParseJid(input), undefined);
    });
  }
});

describe("separators (RFC 7622 §3.1)", () => {
  test("resource is everything after the first '/', and may hold '@' and '/'", () => {
    assert.deepEqual(parts(parseJid("juliet@example.com/foo@bar/baz")), ["juliet", "example.com", "foo@bar/baz"]);
    assert.deepEqual(parts(parseJid("server/resource@foo")), [undefined, "server", "resource@foo"]);
    assert.deepEqual(parts(parseJid("server/resource@foo/bar")), [undefined, "server", "resource@foo/bar"]);
  });

  const invalid: [string, "localpart" | "domainpart" | "resourcepart"][] = [
    ["example.com/", "resourcepart"],
    ["@example.com", "localpart"],
    ["node@/server", "domainpart"],
    ["@server", "localpart"],
    ["@server/resource", "localpart"],
    ["@/resource", "localpart"],
    ["@/", "localpart"],
    ["/", "resourcepart"],
    ["@", "localpart"],
    ["", "domainpart"],
    ["user@", "domainpart"],
    ["user@@", "domainpart"],
    ["user@@host", "domainpart"],
    ["user@@host/resource", "domainpart"],
    ["user@@host/", "resourcepart"],
  ];
  for (const [input, part] of invalid) {
    test(`${JSON.stringify(input)} is rejected (${part})`, () => {
      assertJidError(() => parseJid(input), part);
    });
  }
});

describe("localpart", () => {
  test("ASCII is lowercased", () => {
    assert.equal(prepLocalpart("JuLiEt"), "juliet");
  });

  test("fullwidth is width-mapped and lowercased", () => {
    assert.equal(parseJid("ＪＵＬＩＥＴ@example.com").local, "juliet");
  });

  test("Σ maps to σ, ς is kept", () => {
    assert.equal(prepLocalpart("Σ"), "σ");
    assert.equal(prepLocalpart("ς"), "ς");
  });

  test("the RFC 7622 extra exclusions are rejected, also when reached by width mapping", () => {
    for (const c of ['"', "&", "'", "/", ":", "<", ">", "@", "＠", "＜"]) {
      assertJidError(() => prepLocalpart(`a${c}b`), "localpart");
    }
    assert.equal(prepLocalpart("a+b=c!#$%*?^_`{|}~"), "a+b=c!#$%*?^_`{|}~");
  });

  test("1023 bytes are accepted, 1024 rejected (counted in UTF-8)", () => {
    assert.equal(prepLocalpart("a".repeat(1023)).length, 1023);
    assertJidError(() => prepLocalpart("a".repeat(1024)), "localpart");
    assert.equal(prepLocalpart("é".repeat(511) + "a"), "é".repeat(511) + "a");
    assertJidError(() => prepLocalpart("é".repeat(512)), "localpart");
    assertJidError(() => parseJid("a".repeat(1024) + "@example.com"), "localpart");
  });

  test("empty is rejected", () => {
    assertJidError(() => prepLocalpart(""), "localpart");
  });
});

describe("resourcepart", () => {
  test("case and width are preserved, non-ASCII spaces become U+0020", () => {
    assert.equal(prepResourcepart("Balcony"), "Balcony");
    assert.equal(prepResourcepart("ＢａＬ"), "ＢａＬ");
    assert.equal(prepResourcepart("my\u00a0phone"), "my phone");
  });

  test("controls are rejected", () => {
    assertJidError(() => parseJid("juliet@example.com/a\u0000b"), "resourcepart");
    assertJidError(() => prepResourcepart("a\tb"), "resourcepart");
  });

  test("1023 bytes are accepted, 1024 rejected", () => {
    assert.equal(prepResourcepart("r".repeat(1023)).length, 1023);
    assertJidError(() => prepResourcepart("r".repeat(1024)), "resourcepart");
    assertJidError(() => prepResourcepart("♚".repeat(342)), "resourcepart"); // 1026 bytes
    assertJidError(() => parseJid("juliet@example.com/" + "r".repeat(1024)), "resourcepart");
  });
});

describe("domainpart", () => {
  test("uppercase ASCII is lowercased", () => {
    assert.equal(parseJid("juliet@EXAMPLE.Com").domain, "example.com");
    assert.equal(prepDomainpart("Example.COM"), "example.com");
  });

  test("A-labels become U-labels, and U-labels are case-mapped", () => {
    assert.equal(prepDomainpart("xn--bcher-kva.example"), "bücher.example");
    assert.equal(prepDomainpart("XN--BCHER-KVA.example"), "bücher.example");
    assert.equal(prepDomainpart("BÜCHER.example"), "bücher.example");
  });

  test("fullwidth letters and ideographic full stops are mapped", () => {
    assert.equal(prepDomainpart("ＥＸＡＭＰＬＥ。com"), "example.com");
  });

  test("one trailing dot is stripped", () => {
    assert.equal(prepDomainpart("example.com."), "example.com");
    assert.equal(parseJid("juliet@example.com./x").toString(), "juliet@example.com/x");
    assertJidError(() => prepDomainpart("example.com.."), "domainpart");
    assertJidError(() => prepDomainpart("."), "domainpart");
  });

  test("IP literals are allowed", () => {
    assert.equal(prepDomainpart("[::1]"), "[::1]");
    assert.equal(prepDomainpart("[2001:DB8::1]"), "[2001:db8::1]");
    assert.equal(prepDomainpart("127.0.0.1"), "127.0.0.1");
    assert.deepEqual(parts(parseJid("juliet@[::1]/balcony")), ["juliet", "[::1]", "balcony"]);
  });

  test("malformed IP literals are rejected", () => {
    for (const d of ["[::1", "[]", "[example.com]", "[fe80::1%eth0]", "[1.2.3.4]"]) {
      assertJidError(() => prepDomainpart(d), "domainpart");
    }
  });

  test("STD3 and hyphen rules apply", () => {
    for (const d of ["ex_ample.com", "exa mple.com", "-example.com", "example-.com", "ab--cd.example", "a..b", "xn--zz.com"]) {
      assertJidError(() => prepDomainpart(d), "domainpart");
    }
    assert.equal(prepDomainpart("a-b.example"), "a-b.example");
    assertJidError(() => parseJid("juliet@ex_ample.com"), "domainpart");
  });

  test("the error names the offending label", () => {
    assert.throws(() => prepDomainpart("good.ex_ample.com"), /ex_ample/);
  });

  test("1023 bytes are accepted, 1024 rejected", () => {
    const label = "a".repeat(63);
    const d1023 = Array(15).fill(label).join(".") + "." + "b".repeat(1023 - 15 * 64);
    assert.equal(Buffer.byteLength(d1023), 1023);
    assert.equal(prepDomainpart(d1023), d1023);
    assertJidError(() => prepDomainpart(d1023 + "c"), "domainpart");
  });

  test("empty is rejected", () => {
    assertJidError(() => prepDomainpart(""), "domainpart");
  });
});

describe("Jid", () => {
  test("toString and bareString", () => {
    const j = parseJid("Juliet@Example.com/Balcony");
    assert.equal(j.toString(), "juliet@example.com/Balcony");
    assert.equal(j.bareString(), "juliet@example.com");
    assert.equal(`${j}`, "juliet@example.com/Balcony");
    assert.equal(parseJid("example.com").toString(), "example.com");
    assert.equal(parseJid("example.com/x").bareString(), "example.com");
  });

  test("bare() returns this when bare, and is cached otherwise", () => {
    const bare = parseJid("juliet@example.com");
    assert.equal(bare.isBare(), true);
    assert.equal(bare.bare(), bare);
    const full = parseJid("juliet@example.com/balcony");
    assert.equal(full.isBare(), false);
    const b = full.bare();
    assert.equal(b.isBare(), true);
    assert.equal(b.toString(), "juliet@example.com");
    assert.equal(full.bare(), b);
    assert.ok(b.equals(bare));
  });

  test("equals compares prepared parts", () => {
    assert.ok(parseJid("JULIET@example.com/a").equals(parseJid("juliet@EXAMPLE.COM/a")));
    assert.ok(!parseJid("juliet@example.com/a").equals(parseJid("juliet@example.com/A")));
    assert.ok(!parseJid("juliet@example.com").equals(parseJid("juliet@example.com/a")));
    assert.ok(!parseJid("example.com").equals(parseJid("juliet@example.com")));
  });

  test("withResource prepares the resource and keeps the bare JID", () => {
    const bare = parseJid("juliet@example.com");
    const full = bare.withResource("my\u00a0phone");
    assert.equal(full.toString(), "juliet@example.com/my phone");
    assert.equal(full.bare(), bare);
    assertJidError(() => bare.withResource(""), "resourcepart");
    assertJidError(() => bare.withResource("a\u0007"), "resourcepart");
  });

  test("makeJid and the constructor prepare every part", () => {
    assert.equal(makeJid("Juliet", "EXAMPLE.com", "Foo").toString(), "juliet@example.com/Foo");
    assert.equal(makeJid(undefined, "example.com").toString(), "example.com");
    assert.equal(new Jid("ＪＵＬＩＥＴ", "xn--bcher-kva.example").toString(), "juliet@bücher.example");
    assertJidError(() => makeJid("a@b", "example.com"), "localpart");
    assertJidError(() => makeJid("juliet", "ex_ample.com"), "domainpart");
    assertJidError(() => makeJid("juliet", "example.com", ""), "resourcepart");
  });

  test("repeated parses of the same input give the same result", () => {
    const a = parseJid("romeo@example.net/orchard");
    const b = parseJid("romeo@example.net/orchard");
    assert.ok(a.equals(b));
    assert.equal(b.toString(), "romeo@example.net/orchard");
  });

  test("the parse cache survives being filled past its limit", () => {
    for (let i = 0; i < 12_000; i++) parseJid(`user${i}@example.com/r`);
    assert.equal(parseJid("user5@example.com/r").local, "user5");
    assert.equal(parseJid("User11999@example.com/r").local, "user11999");
  });

  test("tryParseJid returns undefined only for invalid input", () => {
    assert.equal(tryParseJid("juliet@example.com")?.local, "juliet");
    assert.equal(tryParseJid("juliet@@example.com"), undefined);
  });
});
