// Checks and converts the arguments the invite and group commands share (hosts, JIDs, durations, counts).
import type { Config } from "../core/config/index.ts";
import { parseDuration } from "../core/duration.ts";
import { JidError, parseJid } from "../xmpp/jid.ts";
import { CliError } from "./errors.ts";

/** Commander collector for repeatable options (`--role a --role b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function hostList(config: Config): string {
  return config.hosts.map((h) => h.domain).join(", ");
}

/** `--host`, or the first configured host. */
export function resolveHost(config: Config, host: string | undefined): string {
  if (host === undefined) return config.hosts[0]!.domain;
  const domain = host.normalize("NFC").toLowerCase().replace(/\.$/, "");
  if (!config.hosts.some((h) => h.domain === domain)) {
    throw new CliError(`${host} is not a host of this server (hosts: ${hostList(config)})`);
  }
  return domain;
}

/** A local account's address, `user@host` on a configured host; `missingLocal` is the message for a bare host. */
export function localAccount(input: string, config: Config, missingLocal: string): { username: string; host: string } {
  let jid;
  try {
    jid = parseJid(input);
  } catch (e) {
    if (e instanceof JidError) throw new CliError(`'${input}' is not a valid JID: ${e.message}`);
    throw e;
  }
  if (jid.local === undefined) throw new CliError(missingLocal);
  if (jid.resource !== undefined) throw new CliError(`'${input}' is not an account address; expected user@host, without a resource`);
  if (!config.hosts.some((h) => h.domain === jid.domain)) {
    throw new CliError(`${jid.domain} is not a host of this server (hosts: ${hostList(config)})`);
  }
  return { username: jid.local, host: jid.domain };
}

/** `--ttl`: seconds or a duration such as "2d" or "12h". */
export function parseTtl(input: string | undefined): number | undefined {
  if (input === undefined) return undefined;
  let seconds: number;
  try {
    seconds = parseDuration(input);
  } catch (e) {
    throw new CliError(`--ttl: ${(e as Error).message}`);
  }
  if (seconds < 1) throw new CliError(`--ttl: must be at least one second, not '${input}'`);
  return Math.round(seconds);
}

/** `--max-uses`: a whole number of at least one. */
export function parseMaxUses(input: string | undefined): number | undefined {
  if (input === undefined) return undefined;
  if (!/^\d+$/.test(input) || Number(input) < 1 || !Number.isSafeInteger(Number(input))) {
    throw new CliError(`--max-uses: must be a whole number of at least 1, not '${input}'`);
  }
  return Number(input);
}
