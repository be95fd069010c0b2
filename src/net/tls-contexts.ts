// One TLS context per hosted domain (configured certificate, or a self-signed one made on first start).
import { createHash } from "node:crypto";
import { X509Certificate } from "../core/x509.ts";
import { join } from "node:path";
import { createSecureContext, type SecureContext } from "node:tls";
import type { Config } from "../core/config/index.ts";
import { ensureCertificate, loadCertificate } from "../core/certs.ts";
import type { Logger } from "../core/logger.ts";

interface HostTls {
  context: SecureContext;
  /** RFC 5929 tls-server-end-point: hash of our certificate (SHA-256 for SHA-1/SHA-256 signatures). */
  endPoint: Buffer;
  certPath: string;
}

export class TlsContexts {
  private readonly byHost = new Map<string, HostTls>();
  private defaultHost: string | undefined;

  static async create(config: Config, log: Logger): Promise<TlsContexts> {
    const t = new TlsContexts();
    for (const host of config.hosts) {
      const pem =
        host.certPath && host.keyPath
          ? { ...loadCertificate(host.certPath, host.keyPath), certPath: host.certPath, created: false }
          : await ensureCertificate(host.domain, join(config.dataDir, "certs"));
      if (pem.created) log.info({ host: host.domain, cert: pem.certPath }, "made a self-signed certificate");
      const context = createSecureContext({ cert: pem.cert, key: pem.key, minVersion: "TLSv1.2" });
      const endPoint = endPointHash(pem.cert);
      t.byHost.set(host.domain, { context, endPoint, certPath: pem.certPath });
      t.defaultHost ??= host.domain;
    }
    return t;
  }

  contextFor(host: string): SecureContext | undefined {
    return this.byHost.get(host)?.context;
  }

  endPointHash(host: string): Buffer | undefined {
    return this.byHost.get(host)?.endPoint;
  }

  certPath(host: string): string | undefined {
    return this.byHost.get(host)?.certPath;
  }

  get defaultContext(): SecureContext | undefined {
    return this.defaultHost ? this.contextFor(this.defaultHost) : undefined;
  }

  /** SNI for Direct TLS: the context of the named host, else the first host's. */
  readonly sniCallback = (servername: string, cb: (err: Error | null, ctx?: SecureContext) => void): void => {
    cb(null, this.contextFor(servername.toLowerCase()) ?? this.defaultContext);
  };
}

/** RFC 5929 §4.1: the certificate's own signature hash, with MD5 and SHA-1 upgraded to SHA-256. */
function endPointHash(certPem: string): Buffer {
  const cert = new X509Certificate(certPem);
  const sig = cert.signatureAlgorithm as { hash?: { name?: string } };
  const name = (sig.hash?.name ?? "SHA-256").toUpperCase();
  const alg = name === "SHA-384" ? "sha384" : name === "SHA-512" ? "sha512" : "sha256";
  return createHash(alg).update(Buffer.from(cert.rawData)).digest();
}
