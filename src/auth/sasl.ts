// SASL for XMPP (RFC 6120 §6, RFC 4422): mechanism offer, dispatch, payload coding; channel-binding types (XEP-0440).

import type { Credentials } from "../storage/types.ts";
import { createPlainMechanism } from "./plain.ts";
import { createScramMechanism, decodeBase64Strict } from "./scram.ts";

export type SaslFailureCondition =
  | "aborted"
  | "account-disabled"
  | "credentials-expired"
  | "encryption-required"
  | "incorrect-encoding"
  | "invalid-authzid"
  | "invalid-mechanism"
  | "malformed-request"
  | "mechanism-too-weak"
  | "not-authorized"
  | "temporary-auth-failure";

export type ChannelBindingType = "tls-exporter" | "tls-server-end-point";

export interface SaslContext {
  host: string;
  /** The stream is TLS. */
  secure: boolean;
  /** Channel-binding data available on this connection, by type (absent when not TLS). */
  channelBinding(type: ChannelBindingType): Buffer | undefined;
  /** Credentials for a prepared username on ctx.host, or undefined when no such account. */
  lookup(username: string): Promise<Credentials | undefined>;
  /** Normalises a SASL username to a JID localpart; throws on invalid (→ not-authorized, NOT malformed: don't leak). */
  prepUsername(username: string): string;
}

export type SaslStep =
  | { kind: "challenge"; data: Buffer }
  | { kind: "success"; data?: Buffer; username: string }
  | { kind: "failure"; condition: SaslFailureCondition; text?: string; username?: string };

/**
 * One authentication exchange. The first `step` gets the initial response; pass an empty Buffer when the client sent
 * none (or sent "="): the mechanism then answers with an empty challenge once. After success or failure the exchange
 * is over and further steps fail.
 */
export interface SaslMechanism {
  readonly name: string;
  step(response: Buffer): Promise<SaslStep>;
}

export interface SaslOptions {
  allowPlainInsecure: boolean;
  /**
   * Keys the fake salts shown to unknown users. Keep it stable across restarts (persist it), or a salt that changes
   * on restart betrays a missing account. Default: random per process.
   */
  fakeSaltSecret?: Buffer;
}

const BINDING_PREFERENCE: readonly ChannelBindingType[] = ["tls-exporter", "tls-server-end-point"];

/** Channel-binding types usable on this connection, strongest first (for `<sasl-channel-binding/>`). */
export function channelBindingTypes(ctx: SaslContext): ChannelBindingType[] {
  if (!ctx.secure) return [];
  return BINDING_PREFERENCE.filter((t) => ctx.channelBinding(t) !== undefined);
}

export function availableMechanisms(ctx: SaslContext, opts: SaslOptions): string[] {
  const out: string[] = [];
  if (channelBindingTypes(ctx).length > 0) out.push("SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS");
  out.push("SCRAM-SHA-256", "SCRAM-SHA-1");
  if (ctx.secure || opts.allowPlainInsecure) out.push("PLAIN");
  return out;
}

/** The mechanism named by the client, or undefined when it is not offered on this connection (→ invalid-mechanism). */
export function createMechanism(name: string, ctx: SaslContext, opts: SaslOptions): SaslMechanism | undefined {
  const offered = availableMechanisms(ctx, opts);
  if (!offered.includes(name)) return undefined;
  if (name === "PLAIN") return createPlainMechanism(ctx);
  const plusOffered = offered.some((m) => m.endsWith("-PLUS"));
  const base = { ctx, plusOffered, fakeSaltSecret: opts.fakeSaltSecret };
  switch (name) {
    case "SCRAM-SHA-256-PLUS":
      return createScramMechanism({ ...base, hash: "sha256", plus: true });
    case "SCRAM-SHA-1-PLUS":
      return createScramMechanism({ ...base, hash: "sha1", plus: true });
    case "SCRAM-SHA-256":
      return createScramMechanism({ ...base, hash: "sha256", plus: false });
    case "SCRAM-SHA-1":
      return createScramMechanism({ ...base, hash: "sha1", plus: false });
    default:
      return undefined;
  }
}

/**
 * Text of `<auth/>`/`<response/>` to bytes (RFC 6120 §6.4.2): "=" and "" are empty; undefined means
 * `<incorrect-encoding/>`. Surrounding whitespace is tolerated for pretty-printed XML.
 */
export function decodeSaslPayload(text: string): Buffer | undefined {
  const t = text.trim();
  if (t === "" || t === "=") return Buffer.alloc(0);
  return decodeBase64Strict(t);
}

/**
 * Bytes to the text of `<challenge/>`/`<success/>` (RFC 6120 §6.4.3, §6.4.6): zero-length data is "=", no data at all
 * (a `success` without `data`) is an empty element.
 */
export function encodeSaslPayload(data: Buffer | undefined): string {
  if (data === undefined) return "";
  return data.length === 0 ? "=" : data.toString("base64");
}
