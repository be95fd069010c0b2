// PRECIS (RFC 8264) string classes and the RFC 8265 profiles UsernameCaseMapped and OpaqueString, with RFC 5892 Appendix A contexts and the RFC 5893 Bidi Rule.

export class PrecisError extends Error {
  override name = "PrecisError";
}

export type DerivedProperty = "PVALID" | "FREE_PVAL" | "CONTEXTJ" | "CONTEXTO" | "DISALLOWED" | "UNASSIGNED";

export interface DerivedPropertyInfo {
  readonly value: DerivedProperty;
  /** Which RFC 8264 §9 category decided the value (e.g. "has_compat"), for error messages. */
  readonly reason: string;
}

// Index 0 means "not computed yet" in the per-code-point cache.
const INFO: readonly DerivedPropertyInfo[] = ([
  { value: "DISALLOWED", reason: "" },
  { value: "PVALID", reason: "exceptions" },
  { value: "CONTEXTO", reason: "exceptions" },
  { value: "DISALLOWED", reason: "exceptions" },
  { value: "UNASSIGNED", reason: "unassigned" },
  { value: "PVALID", reason: "ascii7" },
  { value: "CONTEXTJ", reason: "join_control" },
  { value: "DISALLOWED", reason: "old_hangul_jamo" },
  { value: "DISALLOWED", reason: "precis_ignorable_properties" },
  { value: "DISALLOWED", reason: "controls" },
  { value: "FREE_PVAL", reason: "has_compat" },
  { value: "PVALID", reason: "letter_digits" },
  { value: "FREE_PVAL", reason: "other_letter_digits" },
  { value: "FREE_PVAL", reason: "spaces" },
  { value: "FREE_PVAL", reason: "symbols" },
  { value: "FREE_PVAL", reason: "punctuation" },
  { value: "DISALLOWED", reason: "other" },
] satisfies DerivedPropertyInfo[]).map((i) => Object.freeze(i));

const EXC_PVALID = 1, EXC_CONTEXTO = 2, EXC_DISALLOWED = 3, UNASSIGNED = 4, ASCII7 = 5, JOIN_CONTROL = 6,
  OLD_HANGUL_JAMO = 7, IGNORABLE = 8, CONTROLS = 9, HAS_COMPAT = 10, LETTER_DIGITS = 11, OTHER_LETTER_DIGITS = 12,
  SPACES = 13, SYMBOLS = 14, PUNCTUATION = 15, OTHER = 16;

// RFC 5892 §2.6 Exceptions (RFC 8264 §9.6).
const EXCEPTIONS = new Map<number, number>([
  [0x00df, EXC_PVALID], [0x03c2, EXC_PVALID], [0x06fd, EXC_PVALID], [0x06fe, EXC_PVALID], [0x0f0b, EXC_PVALID],
  [0x3007, EXC_PVALID],
  [0x00b7, EXC_CONTEXTO], [0x0375, EXC_CONTEXTO], [0x05f3, EXC_CONTEXTO], [0x05f4, EXC_CONTEXTO], [0x30fb, EXC_CONTEXTO],
  [0x0640, EXC_DISALLOWED], [0x07fa, EXC_DISALLOWED], [0x302e, EXC_DISALLOWED], [0x302f, EXC_DISALLOWED],
  [0x3031, EXC_DISALLOWED], [0x3032, EXC_DISALLOWED], [0x3033, EXC_DISALLOWED], [0x3034, EXC_DISALLOWED],
  [0x3035, EXC_DISALLOWED], [0x303b, EXC_DISALLOWED],
]);
for (let cp = 0x0660; cp <= 0x0669; cp++) EXCEPTIONS.set(cp, EXC_CONTEXTO);
for (let cp = 0x06f0; cp <= 0x06f9; cp++) EXCEPTIONS.set(cp, EXC_CONTEXTO);

const RE_UNASSIGNED = /\p{Cn}/u;
const RE_NONCHARACTER = /\p{Noncharacter_Code_Point}/u;
const RE_DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const RE_CONTROL = /\p{Cc}/u;
const RE_LETTER_DIGITS = /[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]/u;
const RE_OTHER_LETTER_DIGITS = /[\p{Lt}\p{Nl}\p{No}\p{Me}]/u;
const RE_SPACE = /\p{Zs}/u;
const RE_SYMBOL = /\p{S}/u;
const RE_PUNCTUATION = /\p{P}/u;

// Hangul_Syllable_Type L, V and T (no regex property for it); stable since Unicode 5.2.
function isOldHangulJamo(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0xa960 && cp <= 0xa97c) ||
    (cp >= 0xd7b0 && cp <= 0xd7c6) || (cp >= 0xd7cb && cp <= 0xd7fb);
}

function computeDerived(cp: number): number {
  const exc = EXCEPTIONS.get(cp);
  if (exc !== undefined) return exc;
  if (cp >= 0xd800 && cp <= 0xdfff) return OTHER; // lone surrogates: Cs
  const ch = String.fromCodePoint(cp);
  if (RE_UNASSIGNED.test(ch) && !RE_NONCHARACTER.test(ch)) return UNASSIGNED;
  if (cp >= 0x21 && cp <= 0x7e) return ASCII7;
  if (cp === 0x200c || cp === 0x200d) return JOIN_CONTROL;
  if (isOldHangulJamo(cp)) return OLD_HANGUL_JAMO;
  if (RE_DEFAULT_IGNORABLE.test(ch) || RE_NONCHARACTER.test(ch)) return IGNORABLE;
  if (RE_CONTROL.test(ch)) return CONTROLS;
  if (ch.normalize("NFKC") !== ch) return HAS_COMPAT;
  if (RE_LETTER_DIGITS.test(ch)) return LETTER_DIGITS;
  if (RE_OTHER_LETTER_DIGITS.test(ch)) return OTHER_LETTER_DIGITS;
  if (RE_SPACE.test(ch)) return SPACES;
  if (RE_SYMBOL.test(ch)) return SYMBOLS;
  if (RE_PUNCTUATION.test(ch)) return PUNCTUATION;
  return OTHER;
}

let derivedCache: Uint8Array | undefined;

function derivedIndex(cp: number): number {
  derivedCache ??= new Uint8Array(0x110000);
  let v = derivedCache[cp]!;
  if (v === 0) derivedCache[cp] = v = computeDerived(cp);
  return v;
}

/** The RFC 8264 §8 derived property of a code point, computed from the runtime's Unicode data. */
export function derivedProperty(cp: number): DerivedPropertyInfo {
  if (!Number.isInteger(cp) || cp < 0 || cp > 0x10ffff) throw new RangeError(`not a code point: ${cp}`);
  return INFO[derivedIndex(cp)]!;
}

// ---- Contextual rules (RFC 5892 Appendix A) ----

// Canonical_Combining_Class is not exposed to JS, but canonical reordering is: a mark sorts after
// U+3099 (ccc 8) and before U+05B0 (ccc 10) exactly when its own class is 9 (Virama).
function isVirama(cp: number): boolean {
  if (cp < 0x300 || cp === 0x3099 || cp === 0x05b0) return false;
  const ch = String.fromCodePoint(cp);
  if (ch.normalize("NFD") !== ch) return false;
  return ("a" + ch + "\u3099").normalize("NFD") === "a\u3099" + ch &&
    ("a\u05b0" + ch).normalize("NFD") === "a" + ch + "\u05b0";
}

// Joining_Type {L,D} and {R,D} (Unicode 15.0 DerivedJoiningType, generated with ICU); hex ranges.
const LEFT_JOINING = parseRanges(
  "620 626 628 62A-62E 633-63F 641-647 649-64A 66E-66F 678-687 69A-6BF 6C1-6C2 6CC 6CE 6D0-6D1 6FA-6FC 6FF " +
  "712-714 71A-71D 71F-727 729 72B 72D-72E 74E-758 75C-76A 76D-770 772 775-777 77A-77F 7CA-7EA 841-845 848 " +
  "84A-853 855 860 862-865 868 886 889-88D 8A0-8A9 8AF-8B0 8B3-8B8 8BA-8C8 1807 1820-1878 1887-18A8 18AA " +
  "A840-A872 10AC0-10AC4 10ACD 10AD3-10ADC 10ADE-10AE0 10AEB-10AEE 10B80 10B82 10B86-10B88 10B8A-10B8B 10B8D " +
  "10B90 10BAD-10BAE 10D00-10D21 10D23 10F30-10F32 10F34-10F44 10F51-10F53 10F70-10F73 10F76-10F81 10FB0 " +
  "10FB2-10FB3 10FB8 10FBB-10FBC 10FBE-10FBF 10FC1 10FC4 10FCA-10FCB 1E900-1E943",
);
const RIGHT_JOINING = parseRanges(
  "620 622-63F 641-64A 66E-66F 671-673 675-6D3 6D5 6EE-6EF 6FA-6FC 6FF 710 712-72F 74D-77F 7CA-7EA 840-858 " +
  "860 862-865 867-86A 870-882 886 889-88E 8A0-8AC 8AE-8C8 1807 1820-1878 1887-18A8 18AA A840-A871 " +
  "10AC0-10AC5 10AC7 10AC9-10ACA 10ACE-10AD6 10AD8-10AE1 10AE4 10AEB-10AEF 10B80-10B91 10BA9-10BAE " +
  "10D01-10D23 10F30-10F44 10F51-10F54 10F70-10F81 10FB0 10FB2-10FB6 10FB8-10FBF 10FC1-10FC4 10FC9-10FCA " +
  "1E900-1E943",
);
// Joining_Type T is by definition Mn, Me and Cf not otherwise listed; ZWNJ/ZWJ themselves are U and C.
const RE_TRANSPARENT = /[\p{Mn}\p{Me}\p{Cf}]/u;

function parseRanges(spec: string): Uint32Array {
  const out: number[] = [];
  for (const r of spec.split(" ")) {
    const [a, b] = r.split("-");
    out.push(parseInt(a!, 16), parseInt(b ?? a!, 16));
  }
  return Uint32Array.from(out);
}

function inRanges(ranges: Uint32Array, cp: number): boolean {
  let lo = 0, hi = (ranges.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[mid * 2]!) hi = mid - 1;
    else if (cp > ranges[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

function isTransparent(cp: number): boolean {
  return cp !== 0x200c && cp !== 0x200d && RE_TRANSPARENT.test(String.fromCodePoint(cp));
}

function zwnjJoins(cps: readonly number[], i: number): boolean {
  let j = i - 1;
  while (j >= 0 && isTransparent(cps[j]!)) j--;
  if (j < 0 || !inRanges(LEFT_JOINING, cps[j]!)) return false;
  let k = i + 1;
  while (k < cps.length && isTransparent(cps[k]!)) k++;
  return k < cps.length && inRanges(RIGHT_JOINING, cps[k]!);
}

const RE_GREEK = /\p{Script=Greek}/u;
const RE_HEBREW = /\p{Script=Hebrew}/u;
const RE_KANA_HAN = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

function contextHolds(cps: readonly number[], i: number): boolean {
  const cp = cps[i]!;
  const before = i > 0 ? cps[i - 1] : undefined;
  const after = i + 1 < cps.length ? cps[i + 1] : undefined;
  switch (cp) {
    case 0x200c: // ZERO WIDTH NON-JOINER
      return (before !== undefined && isVirama(before)) || zwnjJoins(cps, i);
    case 0x200d: // ZERO WIDTH JOINER
      return before !== undefined && isVirama(before);
    case 0x00b7: // MIDDLE DOT: only in "l·l" (Catalan)
      return before === 0x6c && after === 0x6c;
    case 0x0375: // GREEK LOWER NUMERAL SIGN
      return after !== undefined && RE_GREEK.test(String.fromCodePoint(after));
    case 0x05f3: // HEBREW PUNCTUATION GERESH
    case 0x05f4: // HEBREW PUNCTUATION GERSHAYIM
      return before !== undefined && RE_HEBREW.test(String.fromCodePoint(before));
    case 0x30fb: // KATAKANA MIDDLE DOT
      return cps.some((c) => RE_KANA_HAN.test(String.fromCodePoint(c)));
    default:
      if (cp >= 0x0660 && cp <= 0x0669) return !cps.some((c) => c >= 0x06f0 && c <= 0x06f9);
      if (cp >= 0x06f0 && cp <= 0x06f9) return !cps.some((c) => c >= 0x0660 && c <= 0x0669);
      return false;
  }
}

// ---- Bidi Rule (RFC 5893 §2) ----

export type BidiClass = "L" | "R" | "AL" | "EN" | "ES" | "ET" | "CS" | "AN" | "NSM" | "BN" | "ON" | "B" | "S" | "WS";

// Bidi_Class is not exposed to JS regexes, so it is approximated from General_Category plus the
// blocks whose default class is R or AL (DerivedBidiClass.txt header). Exact for ASCII.
const ASCII_BIDI: readonly BidiClass[] = (() => {
  const t: BidiClass[] = [];
  for (let c = 0; c < 0x80; c++) {
    const ch = String.fromCharCode(c);
    t.push(
      /[A-Za-z]/.test(ch) ? "L" : /[0-9]/.test(ch) ? "EN" : /[+-]/.test(ch) ? "ES" : /[,./:]/.test(ch) ? "CS"
        : /[#$%]/.test(ch) ? "ET" : c === 0x20 || c === 0x0c ? "WS" : c === 0x0a || c === 0x0d || (c >= 0x1c && c <= 0x1e) ? "B"
        : c === 0x09 || c === 0x0b || c === 0x1f ? "S" : c < 0x20 || c === 0x7f ? "BN" : "ON",
    );
  }
  return t;
})();

const RTL_R = parseRanges(
  "590-5FF 7C0-85F FB1D-FB4F 10800-10CFF 10D40-10EBF 10F00-10F2F 10F70-10FFF 1E800-1EC6F 1ECC0-1ECFF " +
  "1ED50-1EDFF 1EF00-1EFFF",
);
const RTL_AL = parseRanges(
  "600-7BF 860-8FF FB50-FDCF FDF0-FDFF FE70-FEFF 10D00-10D3F 10EC0-10EFF 10F30-10F6F 1EC70-1ECBF 1ED00-1ED4F " +
  "1EE00-1EEFF",
);
const ARABIC_NUMBER = parseRanges("600-605 660-669 66B-66C 6DD 890-891 8E2 10D30-10D39 10E60-10E7E");
const RE_NSM = /[\p{Mn}\p{Me}]/u;
// The few PVALID code points whose class the rules above get wrong (modifier letters that are ON,
// spacing-like marks that are L).
const RE_ON_LETTER = /[\u02b9\u02ba\u02c6-\u02cf\u02ec\u2e2f\ua67f\ua717-\ua71f\ua788]/u;
const RE_L_MARK = /[\u0cbf\u0cc6\u0f0b\u{11a07}\u{11a08}\u{11c3f}]/u;
const RE_BN = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u;
const RE_ET = /[\p{Sc}\u00b0\u00b1\u2030-\u2034\u2212\u2213]/u;
const RE_NEUTRAL = /[\p{P}\p{S}\p{Zs}\p{Zl}\p{Zp}]/u;

/** Approximate Bidi_Class of a code point (see the note above ASCII_BIDI). */
export function bidiClass(cp: number): BidiClass {
  if (cp < 0x80) return ASCII_BIDI[cp]!;
  if (inRanges(ARABIC_NUMBER, cp)) return "AN";
  if (cp >= 0x06f0 && cp <= 0x06f9) return "EN";
  const ch = String.fromCodePoint(cp);
  if (RE_L_MARK.test(ch)) return "L";
  if (RE_ON_LETTER.test(ch)) return "ON";
  if (RE_NSM.test(ch)) return "NSM";
  if (cp === 0x2028) return "WS";
  if (cp === 0x2029) return "B";
  if (cp === 0x200e) return "L";
  if (cp === 0x200f) return "R";
  if (cp === 0x061c) return "AL";
  if (RE_BN.test(ch)) return "BN";
  if (RE_NEUTRAL.test(ch)) {
    if (RE_SPACE.test(ch)) return "WS";
    if (inRanges(RTL_AL, cp)) return "AL";
    if (inRanges(RTL_R, cp)) return "R";
    return RE_ET.test(ch) ? "ET" : "ON";
  }
  if (inRanges(RTL_AL, cp)) return "AL";
  if (inRanges(RTL_R, cp)) return "R";
  return "L";
}

/** RFC 5893 §2 Bidi Rule; strings without R, AL or AN code points pass trivially. */
export function satisfiesBidiRule(s: string): boolean {
  const classes: BidiClass[] = [];
  let rtl = false;
  for (const ch of s) {
    const c = bidiClass(ch.codePointAt(0)!);
    if (c === "R" || c === "AL" || c === "AN") rtl = true;
    classes.push(c);
  }
  if (!rtl) return true;
  const first = classes[0];
  let last = classes.length - 1;
  while (last > 0 && classes[last] === "NSM") last--;
  const end = classes[last]!;
  if (first === "R" || first === "AL") {
    let en = false, an = false;
    for (const c of classes) {
      if (c === "EN") en = true;
      else if (c === "AN") an = true;
      else if (c !== "R" && c !== "AL" && c !== "ES" && c !== "CS" && c !== "ET" && c !== "ON" && c !== "BN" && c !== "NSM") return false;
    }
    return !(en && an) && (end === "R" || end === "AL" || end === "EN" || end === "AN");
  }
  if (first !== "L") return false;
  for (const c of classes) {
    if (c !== "L" && c !== "EN" && c !== "ES" && c !== "CS" && c !== "ET" && c !== "ON" && c !== "BN" && c !== "NSM") return false;
  }
  return end === "L" || end === "EN";
}

// ---- String classes and profiles ----

function hex(cp: number): string {
  return "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
}

/** Throws PrecisError unless every code point of s is allowed by the string class (RFC 8264 §4). */
export function checkStringClass(s: string, stringClass: "IdentifierClass" | "FreeformClass"): void {
  const identifier = stringClass === "IdentifierClass";
  let n = 0; // code point index, for the contextual rules
  for (let i = 0; i < s.length; i++, n++) {
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    const info = INFO[derivedIndex(cp)]!;
    switch (info.value) {
      case "PVALID":
        continue;
      case "FREE_PVAL":
        if (!identifier) continue;
        break;
      case "CONTEXTJ":
      case "CONTEXTO":
        if (contextHolds(Array.from(s, (ch) => ch.codePointAt(0)!), n)) continue;
        throw new PrecisError(`code point ${hex(cp)} (${info.value}) is not allowed in this context`);
    }
    const what = info.value === "FREE_PVAL" ? `not allowed in ${stringClass} (${info.reason})` : `${info.value} (${info.reason})`;
    throw new PrecisError(`code point ${hex(cp)} is ${what}`);
  }
}

const RE_WIDTH = /[\u3000\uff01-\uffef]/u;
const RE_WIDTH_G = /[\u3000\uff01-\uffef]/gu;
const RE_NON_ASCII_SPACE_G = /(?!\u0020)\p{Zs}/gu;
const RE_NON_ASCII_SPACE = /(?!\u0020)\p{Zs}/u;

// Fullwidth and halfwidth forms map to their <wide>/<narrow> decomposition, which is one code point.
function widthMap(s: string): string {
  if (!RE_WIDTH.test(s)) return s;
  return s.replace(RE_WIDTH_G, (ch) => {
    const n = ch.normalize("NFKC");
    return n.length === 1 ? n : ch;
  });
}

// RFC 8264 §7: rules are re-applied until the output is stable, rejecting after three extra rounds.
function untilStable(s: string, once: (s: string) => string): string {
  let out = once(s);
  for (let round = 0; round < 3; round++) {
    const again = once(out);
    if (again === out) return out;
    out = again;
  }
  throw new PrecisError("string does not stabilise under the profile's rules");
}

// An input this long cannot shrink to a valid JID part (mappings shrink UTF-16 length at most ~3x);
// rejecting early bounds the work done on hostile input.
const MAX_INPUT_UNITS = 8192;

function guardInput(s: string): void {
  if (s.length === 0) throw new PrecisError("string is empty");
  if (s.length > MAX_INPUT_UNITS) throw new PrecisError("string is too long");
}

const usernameRound = (s: string): string => widthMap(s).toLowerCase().normalize("NFC");

/**
 * RFC 8265 §3.3 UsernameCaseMapped enforcement: width mapping, toLowerCase(), NFC, Bidi Rule,
 * IdentifierClass. Returns the enforced string or throws PrecisError.
 */
export function enforceUsernameCaseMapped(s: string): string {
  guardInput(s);
  const out = untilStable(s, usernameRound);
  if (out.length === 0) throw new PrecisError("string is empty after enforcement");
  checkStringClass(out, "IdentifierClass");
  if (!satisfiesBidiRule(out)) throw new PrecisError("string violates the Bidi Rule (RFC 5893)");
  return out;
}

const opaqueRound = (s: string): string =>
  (RE_NON_ASCII_SPACE.test(s) ? s.replace(RE_NON_ASCII_SPACE_G, " ") : s).normalize("NFC");

/**
 * RFC 8265 §4.2 OpaqueString enforcement: non-ASCII spaces to U+0020, NFC, FreeformClass.
 * Returns the enforced string or throws PrecisError.
 */
export function enforceOpaqueString(s: string): string {
  guardInput(s);
  const out = untilStable(s, opaqueRound);
  if (out.length === 0) throw new PrecisError("string is empty after enforcement");
  checkStringClass(out, "FreeformClass");
  return out;
}
