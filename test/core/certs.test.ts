import { after, test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { ensureCertificate, loadCertificate } from "../../src/core/certs.ts";

const tmp = mkdtempSync(join(tmpdir(), "hearth-certs-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Serves the certificate on 127.0.0.1 and connects with it pinned as the only CA, as a strict client would.
 *  Without a servername the client checks the certificate against the IP address 127.0.0.1. */
async function handshake(cert: string, key: string, servername?: string): Promise<{ authorized: boolean; error?: string }> {
  const server = tls.createServer({ cert, key }, (socket) => socket.end());
  server.on("tlsClientError", () => {});
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise((ok) => {
      const client = tls.connect({ host: "127.0.0.1", port, ca: cert, ...(servername ? { servername } : {}) }, () => {
        ok({ authorized: client.authorized });
        client.end();
      });
      client.on("error", (err: NodeJS.ErrnoException) => ok({ authorized: false, error: err.code }));
    });
  } finally {
    await new Promise((ok) => server.close(ok));
  }
}

test("creates a certificate once, then loads the same one", async () => {
  const dir = join(tmp, "first", "certs");
  const messages: string[] = [];
  const made = await ensureCertificate("localhost", dir, (m) => messages.push(m));
  assert.equal(made.created, true);
  assert.equal(made.certPath, join(dir, "localhost.crt"));
  assert.equal(made.keyPath, join(dir, "localhost.key"));
  assert.equal(messages.length, 1);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(made.certPath).mode & 0o777, 0o600);
  assert.equal(statSync(made.keyPath).mode & 0o777, 0o600);
  assert.match(made.cert, /^-----BEGIN CERTIFICATE-----\n/);
  assert.match(made.key, /^-----BEGIN PRIVATE KEY-----\n/);

  const again = await ensureCertificate("localhost", dir, (m) => messages.push(m));
  assert.equal(again.created, false);
  assert.equal(again.cert, made.cert);
  assert.equal(again.key, made.key);
  assert.equal(messages.length, 1, "loading an existing certificate is silent");
});

test("the certificate is ECDSA P-256 with SANs, both EKUs and a ten-year validity", async () => {
  const { cert } = await ensureCertificate("localhost", join(tmp, "props"));
  const x = new X509Certificate(cert);
  assert.equal(x.publicKey.asymmetricKeyType, "ec");
  assert.equal(x.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
  assert.equal(x.subjectAltName, "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
  assert.deepEqual([...(x.keyUsage ?? [])].sort(), ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
  assert.equal(x.ca, false);
  const years = (Date.parse(x.validTo) - Date.now()) / (365.25 * 86_400_000);
  assert.ok(years > 9.9 && years < 10.1, `valid for ${years} years`);
  assert.ok(Date.parse(x.validFrom) <= Date.now());

  const other = new X509Certificate((await ensureCertificate("chat.example.org", join(tmp, "props"))).cert);
  assert.equal(other.subjectAltName, "DNS:chat.example.org");
});

test("a TLS client pinning the certificate authorizes the server for its domain only", async () => {
  const local = await ensureCertificate("localhost", join(tmp, "tls"));
  assert.deepEqual(await handshake(local.cert, local.key, "localhost"), { authorized: true });
  assert.deepEqual(await handshake(local.cert, local.key), { authorized: true });

  const org = await ensureCertificate("example.org", join(tmp, "tls"));
  assert.deepEqual(await handshake(org.cert, org.key, "example.org"), { authorized: true });
  assert.deepEqual(await handshake(org.cert, org.key, "example.net"), { authorized: false, error: "ERR_TLS_CERT_ALTNAME_INVALID" });
  assert.deepEqual(await handshake(org.cert, org.key, "localhost"), { authorized: false, error: "ERR_TLS_CERT_ALTNAME_INVALID" });
  assert.deepEqual(await handshake(org.cert, org.key), { authorized: false, error: "ERR_TLS_CERT_ALTNAME_INVALID" });
  assert.equal((await handshake(local.cert, local.key, "example.org")).authorized, false);
});

test("loadCertificate reports unreadable and mismatched files", async () => {
  const a = await ensureCertificate("a.example", join(tmp, "load"));
  const b = await ensureCertificate("b.example", join(tmp, "load"));
  assert.deepEqual(loadCertificate(a.certPath, a.keyPath), { certPath: a.certPath, keyPath: a.keyPath, cert: a.cert, key: a.key });
  assert.throws(() => loadCertificate(a.certPath, b.keyPath), {
    message: `the private key ${b.keyPath} does not match the certificate ${a.certPath}`,
  });
  const missing = join(tmp, "load", "missing.crt");
  assert.throws(() => loadCertificate(missing, a.keyPath), { message: `cannot read certificate ${missing}: ENOENT` });
  const garbage = join(tmp, "load", "garbage.key");
  writeFileSync(garbage, "not a key");
  assert.throws(() => loadCertificate(a.certPath, garbage), (err: Error) => err.message.startsWith(`${garbage} is not a PEM private key`));
  assert.throws(() => loadCertificate(a.keyPath, a.keyPath), (err: Error) => err.message.startsWith(`${a.keyPath} is not a PEM certificate`));
});

test("only one of the two files present is an error, and nothing is overwritten", async () => {
  const dir = join(tmp, "half");
  const made = await ensureCertificate("half.example", dir);
  rmSync(made.certPath);
  await assert.rejects(ensureCertificate("half.example", dir), {
    message: `found ${made.keyPath} but not ${made.certPath}; remove it to have a new certificate made, or provide both`,
  });
  assert.equal(existsSync(made.certPath), false);
});

test("a domain that is not a plain file name is refused", async () => {
  for (const bad of ["../etc", "a/b", ".hidden", ""]) {
    await assert.rejects(ensureCertificate(bad, join(tmp, "bad")), /invalid domain/);
  }
  assert.equal(existsSync(join(tmp, "bad")), false);
});
