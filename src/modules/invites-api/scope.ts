// Which host a request acts on, and whether the caller's key reaches it.
import type { Context } from "hono";
import type { Config } from "../../core/config/index.ts";
import type { HttpEnv } from "../../http/types.ts";
import type { ApiKeyRecord } from "../../storage/types.ts";
import { keyAllows } from "./keys.ts";
import { apiProblem } from "./problems.ts";

/**
 * The host named in the request; else the key's host when it has exactly one; else the host the request
 * was addressed to. An unknown host is 400, a host outside the key's scope 403.
 */
export function hostResolver(config: Config) {
  const domains = new Set(config.hosts.map((h) => h.domain));
  return (c: Context<HttpEnv>, key: ApiKeyRecord, named: string | undefined): string | Response => {
    const host =
      named !== undefined
        ? named.normalize("NFC").toLowerCase().replace(/\.$/, "")
        : key.hosts?.length === 1
          ? key.hosts[0]!
          : c.get("host");
    if (!domains.has(host)) return apiProblem("unknown-host", `${named ?? host} is not a host of this server`);
    if (!keyAllows(key, host)) return apiProblem("forbidden", `This key may not act on ${host}`);
    return host;
  };
}
