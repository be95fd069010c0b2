// XMPP addresses (JIDs), RFC 7622: parsing and preparation of localpart, domainpart and resourcepart.
import { isIPv6 } from "node:net";
import { toUnicode } from "tr46";
import { PrecisError, enforceOpaqueString, enforceUsernameCaseMapped } from "./precis.ts";

export class JidError extends Error {
  override name = "JidError";
}

const MAX_PART_BYTES = 1023;

// Marks constructor calls whose parts are already prepared; not exported, so outside callers always prepare.
const PREPARED: unique symbol = Symbol("prepared");

export class Jid {
  readonly local: string | undefined;
  readonly domain: string;
  readonly resource: string | undefined;
  #bare: Jid | undefined;
  #full: string | undefined;
  #bareString: string | undefined;

  /** Prepares every part (same as makeJid); throws JidError. */
  constructor(local: string | undefined, domain: string, resource?: string, prepared?: typeof PREPARED) {
    if (prepared === PREPARED) {
      this.local = local;
      this.domain = domain;
      this.resource = resource;
    } else {
      this.local = local === undefined ? undefined : prepLocalpart(local);
      this.domain = prepDomainpart(domain);
      this.resource = resource === undefined ? undefined : prepResourcepart(resource);
    }
  }

  bare(): Jid {
    if (this.resource === undefined) return this;
    return (this.#bare ??= new Jid(this.local, this.domain, undefined, PREPARED));
  }

  isBare(): boolean {
    return this.resource === undefined;
  }

  toString(): string {
    return (this.#full ??= this.resource === undefined ? this.bareString() : `${this.bareString()}/${this.resource}`);
  }

  bareString(): string {
    return (this.#bareString ??= this.local === undefined ? this.domain : `${this.local}@${this.domain}`);
  }

  equals(o: Jid): boolean {
    return this === o || (this.domain === o.domain && this.local === o.local && this.resource === o.resource);
  }

  /** A full JID with this JID's bare part and the given resource, which is prepared. */
  withResource(resource: string): Jid {
    const jid = new Jid(this.local, this.domain, prepResourcepart(resource), PREPARED);
    jid.#bare = this.bare();
    return jid;
  }
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

function checkLength(part: string, prepared: string, ascii: boolean): void {
  const n = ascii ? prepared.length : utf8Length(prepared);
  if (n === 0) throw new JidError(`invalid ${part}: empty`);
  if (n > MAX_PART_BYTES) throw new JidError(`invalid ${part}: ${n} bytes, the limit is ${MAX_PART_BYTES}`);
}

function precis(part: string, s: string, enforce: (s: string) => string): string {
  try {
    return enforce(s);
  } catch (e) {
    if (e instanceof PrecisError) throw new JidError(`invalid ${part}: ${e.message}`);
    throw e;
  }
}

// Printable ASCII without the RFC 7622 §3.3.1 extra exclusions " & ' / : < > @.
const RE_ASCII_LOCAL = /^[!#-%(-.0-9;=?A-~]+$/;
const RE_LOCAL_FORBIDDEN = /["&'/:<>@]/;
const RE_PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** RFC 7622 §3.3: UsernameCaseMapped plus the extra forbidden characters; 1..1023 bytes. */
export function prepLocalpart(s: string): string {
  if (s.length === 0) throw new JidError("invalid localpart: empty");
  if (RE_ASCII_LOCAL.test(s)) {
    checkLength("localpart", s, true);
    return s.toLowerCase();
  }
  const out = precis("localpart", s, enforceUsernameCaseMapped);
  const bad = RE_LOCAL_FORBIDDEN.exec(out);
  if (bad) throw new JidError(`invalid localpart: character '${bad[0]}' is not allowed`);
  checkLength("localpart", out, false);
  return out;
}

/** RFC 7622 §3.4: OpaqueString; 1..1023 bytes. */
export function prepResourcepart(s: string): string {
  if (s.length === 0) throw new JidError("invalid resourcepart: empty");
  if (RE_PRINTABLE_ASCII.test(s)) {
    checkLength("resourcepart", s, true);
    return s;
  }
  const out = precis("resourcepart", s, enforceOpaqueString);
  checkLength("resourcepart", out, false);
  return out;
}

const IDNA_OPTIONS = {
  useSTD3ASCIIRules: true,
  checkBidi: true,
  checkJoiners: true,
  // RFC 5891 §4.2.3.1 (IDNA2008) forbids leading/trailing hyphens and "--" in positions 3-4.
  checkHyphens: true,
} as const;

// Fast path for plain LDH names: returns the lowercased name without its trailing dot, or
// undefined when anything (non-ASCII, "--" in positions 3-4, odd hyphens, empty labels) needs tr46.
function plainDomain(s: string): string | undefined {
  let end = s.length;
  if (end > 1 && s.charCodeAt(end - 1) === 46) end--;
  let labelStart = 0;
  let upper = false;
  for (let i = 0; i <= end; i++) {
    const c = i === end ? 46 : s.charCodeAt(i);
    if (c === 46) {
      const len = i - labelStart;
      if (len === 0 || s.charCodeAt(labelStart) === 45 || s.charCodeAt(i - 1) === 45) return undefined;
      if (len >= 4 && s.charCodeAt(labelStart + 2) === 45 && s.charCodeAt(labelStart + 3) === 45) return undefined;
      labelStart = i + 1;
    } else if (c >= 65 && c <= 90) {
      upper = true;
    } else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) {
      return undefined;
    }
  }
  const out = end === s.length ? s : s.slice(0, end);
  return upper ? out.toLowerCase() : out;
}

function stripTrailingDot(s: string): string {
  return s.length > 1 && s.endsWith(".") ? s.slice(0, -1) : s;
}

/**
 * RFC 7622 §3.2: an IP literal ("[::1]", "127.0.0.1") or an IDNA2008 name via UTS #46 toUnicode,
 * lowercased, A-labels converted to U-labels, one trailing dot removed; 1..1023 bytes.
 */
export function prepDomainpart(s: string): string {
  if (s.length === 0) throw new JidError("invalid domainpart: empty");
  if (s.length > MAX_PART_BYTES * 4) throw new JidError("invalid domainpart: too long");
  if (s.charCodeAt(0) === 91 /* [ */) {
    const inner = s.endsWith("]") ? s.slice(1, -1) : "";
    if (!isIPv6(inner) || inner.includes("%")) throw new JidError(`invalid domainpart: '${s}' is not an IPv6 literal`);
    return `[${inner.toLowerCase()}]`;
  }
  const plain = plainDomain(s);
  if (plain !== undefined) {
    checkLength("domainpart", plain, true);
    return plain;
  }
  const { domain, error } = toUnicode(s, IDNA_OPTIONS);
  if (error) throw new JidError(`invalid domainpart: ${describeIdnaFailure(s)}`);
  const out = stripTrailingDot(domain);
  if (out.split(".").some((l) => l.length === 0)) throw new JidError("invalid domainpart: empty label");
  checkLength("domainpart", out, false);
  return out;
}

function describeIdnaFailure(s: string): string {
  const labels = s.split(/[.\u3002\uff0e\uff61]/);
  const bad = labels.find((l) => l.length > 0 && toUnicode(l, IDNA_OPTIONS).error);
  return bad === undefined
    ? `'${s}' is not a valid IDNA2008 domain name (bidi or joiner rule across labels)`
    : `label '${bad}' is not valid under IDNA2008 (UTS #46, STD3 rules)`;
}

// ---- parsing ----

const CACHE_LIMIT = 10_000;
const CACHE_MAX_INPUT = 512;
const cache = new Map<string, Jid>();

function remember(s: string, jid: Jid): Jid {
  if (s.length <= CACHE_MAX_INPUT) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(s, jid);
  }
  return jid;
}

/** Parses per RFC 7622 §3.1 and prepares every part; throws JidError naming the bad part. */
export function parseJid(s: string): Jid {
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  const slash = s.indexOf("/");
  const end = slash < 0 ? s.length : slash;
  let at = s.indexOf("@");
  if (at >= end) at = -1; // an '@' after the first '/' belongs to the resource
  if (at === 0) throw new JidError("invalid localpart: empty");
  if (slash >= 0 && slash === s.length - 1) throw new JidError("invalid resourcepart: empty");
  const local = at < 0 ? undefined : prepLocalpart(s.slice(0, at));
  const domain = prepDomainpart(s.slice(at + 1, end));
  const resource = slash < 0 ? undefined : prepResourcepart(s.slice(slash + 1));
  return remember(s, new Jid(local, domain, resource, PREPARED));
}

export function tryParseJid(s: string): Jid | undefined {
  try {
    return parseJid(s);
  } catch (e) {
    if (e instanceof JidError) return undefined;
    throw e;
  }
}

export function makeJid(local: string | undefined, domain: string, resource?: string): Jid {
  return new Jid(local, domain, resource);
}
