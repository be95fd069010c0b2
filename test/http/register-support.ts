// Shared steps of the web registration tests: requests from chosen addresses, CSRF pairs, reading the form back.
import { randomBytes } from "node:crypto";
import type { HttpApi } from "../../src/http/types.ts";

export const HOST = "example.com";
export const CLI = { by: "cli", isAdmin: true } as const;
export const GOOD_PASSWORD = "a fine passphrase";
export const FORM = "application/x-www-form-urlencoded";

let nextIp = 0;
/** A fresh client address (through the trusted-proxy header): the token-failure throttle counts per address. */
export function ip(): string {
  nextIp++;
  return `198.18.${Math.floor(nextIp / 250) % 250}.${(nextIp % 250) + 1}`;
}

/** A cookie and the matching hidden field, as the form's GET would have handed out. */
export function csrfPair(): { cookie: string; csrf: string } {
  const csrf = randomBytes(24).toString("base64url");
  return { cookie: `hearth_csrf=${csrf}`, csrf };
}

export function decode(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export function h1(html: string): string {
  return decode(/<h1>(.*?)<\/h1>/s.exec(html)?.[1] ?? "").replace(/<[^>]+>/g, "");
}

/** The opening tag of the element with this id. */
export function tagWithId(html: string, id: string): string | undefined {
  return new RegExp(`<[a-z]+ [^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
}

export function attr(tag: string | undefined, name: string): string | undefined {
  const m = tag === undefined ? null : new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]!) : undefined;
}

/** The text of the element with this id. */
export function textOf(html: string, id: string): string | undefined {
  const m = new RegExp(`\\bid="${id}"[^>]*>(.*?)</`, "s").exec(html);
  return m ? decode(m[1]!) : undefined;
}

export interface Requester {
  get(path: string, opts?: { ip?: string; lang?: string; cookie?: string }): Promise<Response>;
  post(fields: Record<string, string>, opts?: { ip?: string; cookie?: string; origin?: string; type?: string; lang?: string }): Promise<Response>;
  /** POST with a fresh, matching CSRF cookie and field. */
  submit(fields: Record<string, string>, opts?: { ip?: string; lang?: string }): Promise<Response>;
}

export function requester(http: HttpApi): Requester {
  const r: Requester = {
    get: async (path, opts = {}) =>
      http.app.request(path, {
        headers: {
          "X-Forwarded-For": opts.ip ?? ip(),
          ...(opts.lang ? { "Accept-Language": opts.lang } : {}),
          ...(opts.cookie ? { Cookie: opts.cookie } : {}),
        },
      }),
    post: async (fields, opts = {}) =>
      http.app.request("/register", {
        method: "POST",
        headers: {
          "Content-Type": opts.type ?? FORM,
          "X-Forwarded-For": opts.ip ?? ip(),
          ...(opts.cookie ? { Cookie: opts.cookie } : {}),
          ...(opts.origin ? { Origin: opts.origin } : {}),
          ...(opts.lang ? { "Accept-Language": opts.lang } : {}),
        },
        body: new URLSearchParams(fields).toString(),
      }),
    submit: (fields, opts = {}) => {
      const { cookie, csrf } = csrfPair();
      return r.post({ csrf, ...fields }, { ...opts, cookie });
    },
  };
  return r;
}
