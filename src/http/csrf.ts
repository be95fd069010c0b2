// CSRF protection for forms: a double-submit token in a SameSite=Strict cookie and a hidden field,
// plus a same-origin check on Origin when the browser sends a real one. (Pages are no-referrer, so a
// same-origin POST may carry `Origin: null`; the cookie, which a cross-site POST never carries, decides.)
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { HttpEnv } from "./types.ts";

export const CSRF_FIELD = "csrf";

function cookieName(c: Context<HttpEnv>): string {
  return c.get("secure") ? "__Host-hearth_csrf" : "hearth_csrf";
}

/** The token to put in a form's hidden `csrf` field; sets the cookie when the client has none. */
export function csrfToken(c: Context<HttpEnv>): string {
  const name = cookieName(c);
  const existing = getCookie(c, name);
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
  const token = randomBytes(24).toString("base64url");
  setCookie(c, name, token, { httpOnly: true, sameSite: "Strict", secure: c.get("secure"), path: "/" });
  return token;
}

/** True when a form POST comes from our own page. */
export function csrfValid(c: Context<HttpEnv>, submitted: unknown): boolean {
  const origin = c.req.header("origin");
  if (origin && origin !== "null" && origin !== c.get("origin")) return false;
  const cookie = getCookie(c, cookieName(c));
  if (typeof submitted !== "string" || !cookie || submitted.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(submitted), Buffer.from(cookie));
}
