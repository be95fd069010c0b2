// Who is asking and for which host: the socket's peer, or what a trusted reverse proxy says about it.
import { BlockList, isIP } from "node:net";
import type { MiddlewareHandler } from "hono";
import type { Config } from "../core/config/index.ts";
import type { HttpEnv } from "./types.ts";

export function proxyList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of cidrs) {
    const [ip, bits] = entry.split("/");
    const type = isIP(ip!) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(ip!, type);
    else list.addSubnet(ip!, Number(bits), type);
  }
  return list;
}

function isTrusted(list: BlockList, ip: string): boolean {
  const v = isIP(ip);
  return v !== 0 && list.check(ip, v === 6 ? "ipv6" : "ipv4");
}

function plainIp(addr: string | undefined): string {
  if (!addr) return "127.0.0.1"; // in-process requests (tests) come from here
  return addr.startsWith("::ffff:") ? addr.slice(7) : addr;
}

/** Sets host, clientIp, secure and origin on every request. */
export function clientInfo(config: Config): MiddlewareHandler<HttpEnv> {
  const trusted = proxyList(config.http.trustedProxies);
  const domains = config.hosts.map((h) => h.domain);
  const publicHost = config.http.publicUrl ? new URL(config.http.publicUrl).hostname.toLowerCase() : undefined;
  return async (c, next) => {
    const socket = c.env?.incoming?.socket as (import("node:net").Socket & { encrypted?: boolean }) | undefined;
    const peer = plainIp(socket?.remoteAddress);
    let clientIp = peer;
    let secure = socket?.encrypted === true || c.req.url.startsWith("https:");
    let hostHeader = c.req.header("host") ?? "";
    if (isTrusted(trusted, peer)) {
      const chain = (c.req.header("x-forwarded-for") ?? "")
        .split(",")
        .map((s) => plainIp(s.trim()))
        .filter((s) => isIP(s) !== 0);
      for (let i = chain.length - 1; i >= 0; i--) {
        clientIp = chain[i]!;
        if (!isTrusted(trusted, clientIp)) break;
      }
      const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
      if (proto === "https" || proto === "http") secure = proto === "https";
      hostHeader = c.req.header("x-forwarded-host")?.split(",")[0]?.trim() ?? hostHeader;
    }
    const name = hostHeader.replace(/:\d+$/, "").replace(/^\[|\]$/g, "").toLowerCase();
    const host = domains.includes(name) ? name : domains[0]!;
    const origin = publicHost && name === publicHost ? config.http.publicUrl.replace(/\/$/, "") : `${secure ? "https" : "http"}://${hostHeader || host}`;
    c.set("clientIp", clientIp);
    c.set("secure", secure);
    c.set("host", host);
    c.set("origin", origin);
    await next();
  };
}
