// First-start TLS: a self-signed ECDSA P-256 certificate per domain (RFC 5280 profile, SAN per RFC 6125).
import { X509Certificate as NodeX509, createPrivateKey, webcrypto } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as X509 from "./x509.ts";

export interface CertificateFiles {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

const crypto = webcrypto as unknown as Crypto;
const VALID_DAYS = 3650;
const SAFE_FILE_NAME = /^[^/\\\0]+$/;

/** Reads a PEM certificate and key, checking that they belong together. */
export function loadCertificate(certPath: string, keyPath: string): CertificateFiles {
  const cert = readPem(certPath, "certificate");
  const key = readPem(keyPath, "private key");
  let parsed: NodeX509;
  try {
    parsed = new NodeX509(cert);
  } catch (err) {
    throw new Error(`${certPath} is not a PEM certificate: ${(err as Error).message}`);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new Error(`${keyPath} is not a PEM private key: ${(err as Error).message}`);
  }
  if (!parsed.checkPrivateKey(privateKey)) {
    throw new Error(`the private key ${keyPath} does not match the certificate ${certPath}`);
  }
  return { certPath, keyPath, cert, key };
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** `<dir>/<domain>.crt` and `.key`, made self-signed on first call and loaded afterwards. */
export async function ensureCertificate(
  domain: string,
  dir: string,
  log?: (msg: string) => void,
): Promise<CertificateFiles & { created: boolean }> {
  if (!SAFE_FILE_NAME.test(domain) || domain.startsWith(".")) throw new Error(`invalid domain for a certificate: ${JSON.stringify(domain)}`);
  const certPath = join(dir, `${domain}.crt`);
  const keyPath = join(dir, `${domain}.key`);
  const haveCert = existsSync(certPath);
  const haveKey = existsSync(keyPath);
  if (haveCert && haveKey) {
    const loaded = loadCertificate(certPath, keyPath);
    if (new Date(new NodeX509(loaded.cert).validTo) < new Date()) log?.(`certificate ${certPath} has expired`);
    return { ...loaded, created: false };
  }
  if (haveCert || haveKey) {
    const [found, missing] = haveCert ? [certPath, keyPath] : [keyPath, certPath];
    throw new Error(`found ${found} but not ${missing}; remove it to have a new certificate made, or provide both`);
  }

  const { cert, key } = await createSelfSigned(domain);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyPath, key, { mode: 0o600, flag: "wx" });
  writeFileSync(certPath, cert, { mode: 0o600, flag: "wx" });
  log?.(`created a self-signed certificate for ${domain} in ${certPath}`);
  return { certPath, keyPath, cert, key, created: true };
}

// Loaded on first use: only a first start needs to make a certificate.
async function loadX509(): Promise<typeof X509> {
  return import("./x509.ts");
}

async function createSelfSigned(domain: string): Promise<{ cert: string; key: string }> {
  const x509 = await loadX509();
  const algorithm = { name: "ECDSA", namedCurve: "P-256" };
  const keys = (await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const names: X509.JsonGeneralName[] = [{ type: "dns", value: domain }];
  if (domain === "localhost") names.push({ type: "ip", value: "127.0.0.1" }, { type: "ip", value: "::1" });
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + VALID_DAYS * 86_400_000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: [{ CN: [domain] }],
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        new x509.SubjectAlternativeNameExtension(names),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { cert: certificate.toString("pem") + "\n", key: x509.PemConverter.encode(pkcs8, "PRIVATE KEY") + "\n" };
}
