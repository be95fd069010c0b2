import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  PrecisError,
  bidiClass,
  checkStringClass,
  derivedProperty,
  enforceOpaqueString,
  enforceUsernameCaseMapped,
  satisfiesBidiRule,
} from "../../src/xmpp/precis.ts";

describe("derivedProperty (RFC 8264 §8)", () => {
  // Values as published in derived-property tables for code points assigned long ago.
  const cases: [number, string, string][] = [
    [0x0061, "PVALID", "ascii7"],
    [0x0021, "PVALID", "ascii7"],
    [0x0020, "FREE_PVAL", "spaces"],
    [0x0007, "DISALLOWED", "controls"],
    [0x0085, "DISALLOWED", "controls"],
    [0x00a0, "FREE_PVAL", "has_compat"],
    [0x00ad, "DISALLOWED", "precis_ignorable_properties"],
    [0x00b7, "CONTEXTO", "exceptions"],
    [0x00df, "PVALID", "exceptions"],
    [0x00e9, "PVALID", "letter_digits"],
    [0x0132, "FREE_PVAL", "has_compat"],
    [0x03c2, "PVALID", "exceptions"],
    [0x0378, "UNASSIGNED", "unassigned"],
    [0x0488, "FREE_PVAL", "other_letter_digits"],
    [0x0600, "DISALLOWED", "other"],
    [0x0640, "DISALLOWED", "exceptions"],
    [0x0661, "CONTEXTO", "exceptions"],
    [0x06f5, "CONTEXTO", "exceptions"],
    [0x1100, "DISALLOWED", "old_hangul_jamo"],
    [0x11a8, "DISALLOWED", "old_hangul_jamo"],
    [0x16ee, "FREE_PVAL", "other_letter_digits"],
    [0x1f88, "FREE_PVAL", "other_letter_digits"],
    [0x200b, "DISALLOWED", "precis_ignorable_properties"],
    [0x200c, "CONTEXTJ", "join_control"],
    [0x200d, "CONTEXTJ", "join_control"],
    [0x2028, "DISALLOWED", "other"],
    [0x212a, "FREE_PVAL", "has_compat"],
    [0x2163, "FREE_PVAL", "has_compat"],
    [0x265a, "FREE_PVAL", "symbols"],
    [0x3007, "PVALID", "exceptions"],
    [0x302e, "DISALLOWED", "exceptions"],
    [0x30fb, "CONTEXTO", "exceptions"],
    [0xac00, "PVALID", "letter_digits"],
    [0xe000, "DISALLOWED", "other"],
    [0xfeff, "DISALLOWED", "precis_ignorable_properties"],
    [0xfffe, "DISALLOWED", "precis_ignorable_properties"],
    [0xff21, "FREE_PVAL", "has_compat"],
    [0x1d165, "PVALID", "letter_digits"],
    [0x1d400, "FREE_PVAL", "has_compat"],
    [0x1f11a, "FREE_PVAL", "has_compat"],
    [0x1f47e, "FREE_PVAL", "symbols"],
    [0x20000, "PVALID", "letter_digits"],
    [0xe0000, "UNASSIGNED", "unassigned"],
    [0xe0001, "DISALLOWED", "precis_ignorable_properties"],
    [0xe0100, "DISALLOWED", "precis_ignorable_properties"],
    [0x10fffe, "DISALLOWED", "precis_ignorable_properties"],
    [0x10fffd, "DISALLOWED", "other"],
  ];
  for (const [cp, value, reason] of cases) {
    test(`U+${cp.toString(16).toUpperCase()} is ${value}/${reason}`, () => {
      assert.deepEqual({ ...derivedProperty(cp) }, { value, reason });
    });
  }

  test("lone surrogates are DISALLOWED", () => {
    assert.equal(derivedProperty(0xd800).value, "DISALLOWED");
  });

  test("rejects values that are not code points", () => {
    assert.throws(() => derivedProperty(0x110000), RangeError);
    assert.throws(() => derivedProperty(-1), RangeError);
  });
});

describe("UsernameCaseMapped (RFC 8265 §3.3)", () => {
  const allowed: [string, string][] = [
    ["juliet", "juliet"],
    ["Juliet", "juliet"],
    ["Juliet@Example.COM", "juliet@example.com"],
    ["Fussball", "fussball"],
    ["fußball", "fußball"],
    ["π", "π"],
    ["Σ", "σ"],
    ["σ", "σ"],
    ["ς", "ς"],
    ["ΟΔΥΣΣΕΥΣ", "οδυσσευς"], // toLowerCase() applies the Final_Sigma condition
    ["ＪＵＬＩＥＴ", "juliet"], // fullwidth → ASCII, then lowercased
    ["！", "!"],
    ["ｶ", "カ"], // halfwidth katakana
    ["ｶﾞ", "ガ"], // halfwidth voiced mark composes under NFC
    ["\u212aevin", "kevin"], // KELVIN SIGN normalises to K
    ["\u2126", "ω"], // OHM SIGN normalises to Ω
    ["e\u0301", "\u00e9"], // NFC
    ["ju1iet", "ju1iet"],
    ["~`!@#$%^&*()-_=+[{}]\\|;:'\",<.>/?", "~`!@#$%^&*()-_=+[{}]\\|;:'\",<.>/?"],
    ["ᏚᎢᎵᎬᎢᎬᏒ", "ꮪꭲꮅꭼꭲꭼꮢ"], // Cherokee lowercases to the U+AB70 block
    ["가", "가"],
    ["\u1100\u1161", "\uac00"], // conjoining jamo compose under NFC before the check
  ];
  for (const [input, output] of allowed) {
    test(`allows ${JSON.stringify(input)}`, () => {
      assert.equal(enforceUsernameCaseMapped(input), output);
    });
  }

  const rejected: [string, RegExp][] = [
    ["", /empty/],
    ["foo bar", /U\+0020.*IdentifierClass.*spaces/],
    ["henry\u2163", /U\+2173.*has_compat/], // Ⅳ lowercases to ⅳ, still a compatibility character
    ["♚", /U\+265A.*symbols/],
    ["\u00bc", /has_compat/],
    ["\u01c6", /has_compat/],
    ["🇺🇸", /symbols/],
    ["a\u0007", /controls/],
    ["a\u00adb", /precis_ignorable_properties/],
    ["\u0378", /UNASSIGNED/],
    ["\ue000", /DISALLOWED/],
    ["\u1100", /old_hangul_jamo/],
    ["a".repeat(9000), /too long/],
  ];
  for (const [input, reason] of rejected) {
    test(`rejects ${JSON.stringify(input.length > 20 ? input.slice(0, 20) + "…" : input)}`, () => {
      assert.throws(() => enforceUsernameCaseMapped(input), (e: unknown) => e instanceof PrecisError && reason.test(e.message));
    });
  }

  test("is idempotent on its own output", () => {
    for (const [input] of allowed) {
      const once = enforceUsernameCaseMapped(input);
      assert.equal(enforceUsernameCaseMapped(once), once);
    }
  });
});

describe("contextual rules (RFC 5892 Appendix A)", () => {
  const cases: [string, string, boolean][] = [
    ["MIDDLE DOT between l and l", "col\u00b7lega", true],
    ["MIDDLE DOT elsewhere", "a\u00b7b", false],
    ["KERAIA before Greek", "\u0375\u03b1", true],
    ["KERAIA before Latin", "\u0375a", false],
    ["GERESH after Hebrew", "\u05d0\u05f3", true],
    ["GERESH after Latin", "a\u05f3", false],
    ["KATAKANA MIDDLE DOT with kana", "カ\u30fbカ", true],
    ["KATAKANA MIDDLE DOT with Han", "漢\u30fb", true],
    ["KATAKANA MIDDLE DOT alone with Latin", "a\u30fbb", false],
    ["Arabic-Indic digits after a letter", "\u0628\u0661\u0662", true],
    ["Arabic-Indic mixed with extended digits", "\u0628\u0661\u06f1", false],
    ["extended Arabic-Indic digits", "\u0628\u06f1\u06f2", true],
    ["ZWJ after virama", "\u0915\u094d\u200d\u0937", true],
    ["ZWJ without virama", "a\u200db", false],
    ["ZWNJ after virama", "\u0915\u094d\u200c\u0937", true],
    ["ZWNJ between dual-joining letters (Persian)", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", true],
    ["ZWNJ with a transparent mark before it", "\u0628\u064e\u200c\u0628", true],
    ["ZWNJ after a right-joining letter", "\u0627\u200c\u0628", false],
    ["ZWNJ at the start", "\u200c\u0628", false],
    ["ZWNJ between Latin letters", "a\u200cb", false],
  ];
  for (const [name, s, ok] of cases) {
    test(`${name}: ${ok ? "allowed" : "rejected"}`, () => {
      if (ok) assert.equal(enforceUsernameCaseMapped(s), s.normalize("NFC"));
      else assert.throws(() => enforceUsernameCaseMapped(s), PrecisError);
    });
  }

  test("contextual rules apply in FreeformClass too", () => {
    assert.throws(() => enforceOpaqueString("a\u00b7b"), /CONTEXTO/);
    assert.equal(enforceOpaqueString("l\u00b7l"), "l\u00b7l");
  });
});

describe("Bidi Rule (RFC 5893)", () => {
  const cases: [string, boolean][] = [
    ["\u05d0\u05d1", true],
    ["\u05d0\u20d6\u05d1", true],
    ["\u05d0(/%\\))\u05d1", true],
    ["\u05d0\u05d11", true], // RTL may end in EN
    ["\u05d0\u05d1\u05b0", true], // trailing NSM
    ["\u05d0\u05d1+", false],
    ["+\u05d0\u05d1", false],
    ["A\u05d0\u05d1", false],
    ["\u05d0\u05d1A", false],
    ["\u05d0A\u05d1", false],
    ["juliet\u05d1", false],
    ["\u0628" + "1" + "\u0661", false], // EN and AN together
    ["\u0661\u0628", false], // AN cannot start
    ["juliet+", true],
    ["+juliet", true],
  ];
  for (const [s, ok] of cases) {
    test(`${JSON.stringify(s)} ${ok ? "passes" : "fails"}`, () => {
      assert.equal(satisfiesBidiRule(s), ok);
      if (ok) assert.equal(enforceUsernameCaseMapped(s), s.toLowerCase());
      else assert.throws(() => enforceUsernameCaseMapped(s), PrecisError);
    });
  }

  test("bidiClass approximations", () => {
    assert.equal(bidiClass(0x61), "L");
    assert.equal(bidiClass(0x31), "EN");
    assert.equal(bidiClass(0x2b), "ES");
    assert.equal(bidiClass(0x2c), "CS");
    assert.equal(bidiClass(0x25), "ET");
    assert.equal(bidiClass(0x21), "ON");
    assert.equal(bidiClass(0x05d0), "R");
    assert.equal(bidiClass(0x0628), "AL");
    assert.equal(bidiClass(0x0661), "AN");
    assert.equal(bidiClass(0x06f1), "EN");
    assert.equal(bidiClass(0x07c1), "R"); // N'Ko digit
    assert.equal(bidiClass(0x0301), "NSM");
    assert.equal(bidiClass(0x0915), "L");
    assert.equal(bidiClass(0x02c6), "ON"); // modifier letter that is not L
    assert.equal(bidiClass(0x1e900), "R"); // Adlam
    assert.equal(bidiClass(0x200c), "BN");
  });
});

describe("OpaqueString (RFC 8265 §4.2)", () => {
  const allowed: [string, string][] = [
    ["correct horse battery staple", "correct horse battery staple"],
    ["Juliet", "Juliet"], // no case mapping
    ["ＪＵＬＩＥＴ", "ＪＵＬＩＥＴ"], // no width mapping
    ["foo\u00a0bar", "foo bar"], // non-ASCII space → U+0020
    ["\u3000x\u2009y", " x y"],
    [" leading", " leading"],
    ["♚", "♚"],
    ["e\u0301", "\u00e9"],
    ["\u05d0A", "\u05d0A"], // no Bidi Rule
    ["henry\u2163", "henry\u2163"],
    ["I'm Guybrush Threepwood, Mighty Pirate ☠", "I'm Guybrush Threepwood, Mighty Pirate ☠"],
  ];
  for (const [input, output] of allowed) {
    test(`allows ${JSON.stringify(input)}`, () => {
      assert.equal(enforceOpaqueString(input), output);
    });
  }

  const rejected: [string, RegExp][] = [
    ["", /empty/],
    ["a\u0007", /controls/],
    ["tab\there", /controls/],
    ["a\u00adb", /precis_ignorable_properties/],
    ["\ue000", /DISALLOWED/],
    ["\u0378", /UNASSIGNED/],
    ["a\u200db", /CONTEXTJ/],
    ["\ud800", /DISALLOWED/],
  ];
  for (const [input, reason] of rejected) {
    test(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(() => enforceOpaqueString(input), (e: unknown) => e instanceof PrecisError && reason.test(e.message));
    });
  }
});

describe("checkStringClass", () => {
  test("FREE_PVAL is allowed only in FreeformClass", () => {
    assert.doesNotThrow(() => checkStringClass("a b", "FreeformClass"));
    assert.throws(() => checkStringClass("a b", "IdentifierClass"), /IdentifierClass/);
  });

  test("walks astral code points correctly", () => {
    assert.doesNotThrow(() => checkStringClass("\u{20000}a\u{20001}", "IdentifierClass"));
    assert.throws(() => checkStringClass("\u{20000}\u{1f47e}", "IdentifierClass"), /U\+1F47E/);
  });
});
