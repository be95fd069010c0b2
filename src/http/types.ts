// What the shared web server hands every route: who is asking, for which host, in which language.
import type { IncomingMessage } from "node:http";
import type { Hono } from "hono";
import type { Translator } from "./i18n/index.ts";

export interface HttpVariables {
  /** The hosted XMPP domain this request is for. */
  host: string;
  /** The client's address (from a trusted proxy's X-Forwarded-For when there is one). */
  clientIp: string;
  /** The client reached us over HTTPS (directly, or through a trusted proxy that says so). */
  secure: boolean;
  /** Origin of this request as the client sees it, e.g. "https://chat.example.org"; no trailing slash. */
  origin: string;
  lang: string;
  t: Translator;
}

/** `incoming` is absent for in-process requests (`app.request()` in tests). */
export type HttpEnv = { Variables: HttpVariables; Bindings: { incoming?: IncomingMessage } };

export interface HttpApi {
  /** The root app: modules mount their routes on it (`app.route("/invite", sub)`), and tests call `app.request()`. */
  readonly app: Hono<HttpEnv>;
  /** Absolute base URL of the pages for a host, no trailing slash (from http.public_url, else the HTTPS port). */
  publicBaseUrl(host: string): string;
  /** The bound port of the plain or HTTPS listener (tests listen on port 0). */
  port(kind: "http" | "https"): number;
  /** HMAC key derived from the server secret, for CSRF tokens and the like. */
  readonly secret: Buffer;
}
