// RFC 6120 §6: the SASL exchange on a stream, with failure throttling per IP and per account.
import { x, type Element } from "../xml/element.ts";
import { NS } from "../xmpp/namespaces.ts";
import { prepLocalpart } from "../xmpp/jid.ts";
import {
  availableMechanisms,
  channelBindingTypes,
  createMechanism,
  type ChannelBindingType,
  type SaslContext,
  type SaslMechanism,
  type SaslOptions,
} from "../auth/sasl.ts";
import type { C2sContext } from "./context.ts";
import type { C2sSession } from "./session.ts";

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

function saslContext(session: C2sSession, ctx: C2sContext): SaslContext {
  return {
    host: session.host,
    secure: session.secure,
    channelBinding(type: ChannelBindingType) {
      const tls = session.tlsSocket;
      if (!tls) return undefined;
      if (type === "tls-exporter") {
        if (tls.getProtocol() !== "TLSv1.3") return undefined;
        return tls.exportKeyingMaterial(32, "EXPORTER-Channel-Binding", Buffer.alloc(0));
      }
      return ctx.tls.endPointHash(session.host);
    },
    lookup: (username) => ctx.lookupCredentials(session.host, username),
    prepUsername: prepLocalpart,
  };
}

function saslOptions(ctx: C2sContext): SaslOptions {
  // PLAIN never crosses an unencrypted stream, whatever the TLS policy.
  return { allowPlainInsecure: false, fakeSaltSecret: ctx.saslSecret };
}

export class SaslNegotiation {
  private mechanism: SaslMechanism | undefined;
  private readonly session: C2sSession;
  private readonly ctx: C2sContext;
  private readonly sctx: SaslContext;

  constructor(session: C2sSession, ctx: C2sContext) {
    this.session = session;
    this.ctx = ctx;
    this.sctx = saslContext(session, ctx);
  }

  static features(session: C2sSession, ctx: C2sContext): Element[] {
    const sctx = saslContext(session, ctx);
    const mechs = availableMechanisms(sctx, saslOptions(ctx));
    const out = [x("mechanisms", { xmlns: NS.SASL }, mechs.map((m) => x("mechanism", null, m)))];
    const cb = channelBindingTypes(sctx);
    if (cb.length > 0) {
      out.push(x("sasl-channel-binding", { xmlns: "urn:xmpp:sasl-cb:0" }, cb.map((t) => x("channel-binding", { type: t }))));
    }
    return out;
  }

  /** Handles one SASL element; resolves with the username once authentication succeeded. */
  async handle(el: Element): Promise<{ username: string } | undefined> {
    if (el.name === "abort") {
      this.mechanism = undefined;
      this.fail("aborted");
      return undefined;
    }
    if (el.name === "auth") {
      if (this.ctx.authThrottle.isBlocked(`ip:${this.session.ip}`)) {
        this.fail("temporary-auth-failure", "Too many failed attempts; try again later");
        return undefined;
      }
      const name = el.attrs.mechanism ?? "";
      this.mechanism = createMechanism(name, this.sctx, saslOptions(this.ctx));
      if (!this.mechanism) {
        this.fail("invalid-mechanism");
        return undefined;
      }
      const text = el.text().trim();
      if (text === "") {
        this.session.write(`<challenge xmlns='${NS.SASL}'/>`);
        return undefined;
      }
      return this.step(text === "=" ? "" : text);
    }
    if (el.name === "response") {
      if (!this.mechanism) {
        this.fail("malformed-request", "No authentication in progress");
        return undefined;
      }
      return this.step(el.text().trim());
    }
    this.fail("malformed-request");
    return undefined;
  }

  private async step(b64: string): Promise<{ username: string } | undefined> {
    if (!B64.test(b64) || b64.length % 4 !== 0) {
      this.mechanism = undefined;
      this.fail("incorrect-encoding");
      return undefined;
    }
    const result = await this.mechanism!.step(Buffer.from(b64, "base64"));
    if (result.kind === "challenge") {
      this.session.write(`<challenge xmlns='${NS.SASL}'>${result.data.toString("base64")}</challenge>`);
      return undefined;
    }
    this.mechanism = undefined;
    if (result.kind === "success") {
      const accountKey = `acct:${result.username}@${this.session.host}`;
      if (this.ctx.authThrottle.isBlocked(accountKey)) {
        this.fail("temporary-auth-failure", "Too many failed attempts; try again later");
        return undefined;
      }
      this.ctx.authThrottle.succeed(`ip:${this.session.ip}`);
      this.session.write(
        result.data ? `<success xmlns='${NS.SASL}'>${result.data.toString("base64")}</success>` : `<success xmlns='${NS.SASL}'/>`,
      );
      return { username: result.username };
    }
    this.ctx.authThrottle.fail(`ip:${this.session.ip}`);
    if (result.username) this.ctx.authThrottle.fail(`acct:${result.username}@${this.session.host}`);
    this.ctx.log.info(
      { session: this.session.id, ip: this.session.ip, user: result.username, condition: result.condition },
      "authentication failed",
    );
    this.fail(result.condition, result.text);
    return undefined;
  }

  private fail(condition: string, text?: string): void {
    const t = text ? x("text", null, text).toString(NS.SASL) : "";
    this.session.write(`<failure xmlns='${NS.SASL}'><${condition}/>${t}</failure>`);
  }
}
