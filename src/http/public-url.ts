// The address people reach Hearth's pages at, from the configuration alone (the CLI runs without a server).
import type { HttpConfig } from "../core/config/index.ts";

/** A listener that is actually bound (tests listen on port 0, so only the running server knows the port). */
export interface BoundListener {
  scheme: "http" | "https";
  port: number;
}

/** Absolute base URL of the pages for a host, no trailing slash: http.public_url, else the HTTPS (or HTTP) port. */
export function baseUrlFor(http: HttpConfig, host: string, bound?: BoundListener): string {
  if (http.publicUrl) return http.publicUrl.replace(/\/$/, "");
  const scheme = bound?.scheme ?? (http.https ? "https" : "http");
  const port = bound?.port ?? (scheme === "https" ? http.httpsPort : http.port);
  const dflt = scheme === "https" ? 443 : 80;
  return `${scheme}://${host}${port === dflt ? "" : `:${port}`}`;
}

/** The base URL from the configuration alone; undefined when it names port 0 (picked at start) and no public_url. */
export function configuredBaseUrl(http: HttpConfig, host: string): string | undefined {
  if (!http.publicUrl && (http.https ? http.httpsPort : http.port) === 0) return undefined;
  return baseUrlFor(http, host);
}
