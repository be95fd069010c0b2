// A real server with the invites API, keys made straight in its storage, and requests from chosen client addresses.
import { startTestServer, type TestServer, type TestServerOptions } from "../../helpers/server.ts";
import type { HttpApi } from "../../../src/http/types.ts";
import { createApiKey, type CreatedApiKey, type NewApiKey } from "../../../src/modules/invites-api/keys.ts";

export const HOST = "example.com";
export const OTHER = "other.example";

export interface ApiServer {
  ts: TestServer;
  http: HttpApi;
  key(opts?: NewApiKey, now?: number): Promise<CreatedApiKey>;
  call(method: string, path: string, opts?: CallOptions): Promise<Response>;
  stop(): Promise<void>;
}

export interface CallOptions {
  /** `ID.SECRET`, sent as `Authorization: Bearer …`. */
  key?: string;
  /** Sent as JSON (Content-Type application/json) unless `body` is given. */
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  /** Client address (the test server trusts 127.0.0.1 as a proxy). */
  ip?: string;
}

let nextIp = 1;
/** A client address of its own, so that one test's failed keys do not throttle another's. */
export function ip(): string {
  nextIp++;
  return `198.51.${Math.floor(nextIp / 250) % 250}.${(nextIp % 250) + 1}`;
}

export async function startApiServer(opts: TestServerOptions = {}): Promise<ApiServer> {
  const ts = await startTestServer({
    hosts: [HOST, OTHER],
    ...opts,
    configure: (c) => {
      c.http.trustedProxies = ["127.0.0.1"];
      opts.configure?.(c);
    },
  });
  const http = ts.server.modules.api<HttpApi>("http")!;
  return {
    ts,
    http,
    key: (o = {}, now) => createApiKey(ts.server.storage.apiKeys, o, now),
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { "X-Forwarded-For": o.ip ?? ip(), ...o.headers };
      if (o.key !== undefined) headers.Authorization = `Bearer ${o.key}`;
      let body = o.body;
      if (body === undefined && o.json !== undefined) {
        body = JSON.stringify(o.json);
        headers["Content-Type"] ??= "application/json";
      }
      return http.app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
    },
    stop: () => ts.stop(),
  };
}

/** The problem document of an error answer, after checking it is one. */
export async function problemOf(res: Response): Promise<{ type: string; title: string; status: number; detail?: string; errors?: { pointer: string; detail: string }[] }> {
  const type = res.headers.get("content-type");
  if (type !== "application/problem+json") throw new Error(`expected a problem document, got ${type} (${res.status}): ${await res.text()}`);
  const body = (await res.json()) as { type: string; title: string; status: number };
  if (body.status !== res.status) throw new Error(`problem status ${body.status} != ${res.status}`);
  return body;
}

export const P = (name: string) => `https://hearth.invalid/problems/${name}`;
