// [[hosts]]: the XMPP domains this server serves (RFC 7622 domainparts).
import { z } from "zod";
import { nonEmptyString, table } from "./schema-common.ts";

export interface HostConfig {
  /** Prepared: NFC, lowercase, no trailing dot. */
  domain: string;
  /** Both or neither; absolute after loading. Without them a self-signed certificate is made in dataDir. */
  certPath?: string;
  keyPath?: string;
}

// Characters that cannot appear in a domainpart, or would break the "<domain>.crt" file name.
const FORBIDDEN = /[\s@/\\:[\]"'<>&\u0000-\u001f\u007f]/u;

export function prepareDomain(raw: string): string {
  let domain = raw.normalize("NFC").toLowerCase();
  if (domain.endsWith(".")) domain = domain.slice(0, -1);
  return domain;
}

function domainProblem(domain: string): string | undefined {
  if (domain === "") return "must not be empty";
  if (FORBIDDEN.test(domain)) return `${JSON.stringify(domain)} is not a valid domain name`;
  if (Buffer.byteLength(domain) > 1023) return "must be at most 1023 bytes";
  for (const label of domain.split(".")) {
    if (label === "") return `${JSON.stringify(domain)} has an empty label`;
    if (label.length > 63) return `${JSON.stringify(domain)} has a label longer than 63 characters`;
  }
  return undefined;
}

const host = table({
  domain: z.string().transform((raw, ctx) => {
    const domain = prepareDomain(raw);
    const problem = domainProblem(domain);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
    return domain;
  }),
  cert_path: nonEmptyString.optional(),
  key_path: nonEmptyString.optional(),
}).superRefine((h, ctx) => {
  if ((h.certPath === undefined) !== (h.keyPath === undefined)) {
    const missing = h.certPath === undefined ? "cert_path" : "key_path";
    ctx.addIssue({ code: "custom", path: [missing], message: "cert_path and key_path must be given together" });
  }
});

export const hostsSection: z.ZodType<HostConfig[]> = z
  .array(host)
  .min(1)
  .superRefine((hosts, ctx) => {
    const seen = new Map<string, number>();
    hosts.forEach((h, i) => {
      const first = seen.get(h.domain);
      if (first === undefined) seen.set(h.domain, i);
      else ctx.addIssue({ code: "custom", path: [i, "domain"], message: `duplicate domain "${h.domain}" (also hosts[${first}])` });
    });
  })
  .default(() => [{ domain: "localhost" }]);
