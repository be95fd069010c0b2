// `hearth api-key create|list|revoke`: keys of the invites HTTP API, written straight to storage (server running or not).
import type { Command } from "commander";
import { parseDuration } from "../../core/duration.ts";
import { API_KEY_KINDS, createApiKey } from "../../modules/invites-api/keys.ts";
import type { ApiKeyKind, ApiKeyRecord } from "../../storage/types.ts";
import { collect, resolveHost } from "../args.ts";
import { withStorage } from "../context.ts";
import { CliError } from "../errors.ts";
import { formatTime, table } from "../invite-format.ts";

function parseKinds(input: string[] | undefined): ApiKeyKind[] | undefined {
  if (input === undefined) return undefined;
  for (const k of input) {
    if (!(API_KEY_KINDS as readonly string[]).includes(k)) {
      throw new CliError(`--kind: must be one of ${API_KEY_KINDS.join(", ")}, not '${k}'`);
    }
  }
  return input as ApiKeyKind[];
}

function parseExpires(input: string | undefined, now: number): number | undefined {
  if (input === undefined) return undefined;
  let seconds: number;
  try {
    seconds = parseDuration(input);
  } catch (e) {
    throw new CliError(`--expires: ${(e as Error).message}`);
  }
  if (seconds < 1) throw new CliError(`--expires: must be at least one second, not '${input}'`);
  return now + Math.round(seconds * 1000);
}

const hostsText = (k: ApiKeyRecord) => (k.hosts === undefined ? "all" : k.hosts.join(","));
const expiresText = (k: ApiKeyRecord) => (k.expires === undefined ? "never" : formatTime(k.expires));

export function registerApiKeyCommands(program: Command): void {
  const apiKey = program.command("api-key").description("manage keys of the invites HTTP API");

  apiKey
    .command("create")
    .description("create a key; its secret is shown this once")
    .option("--name <name>", "what the key is for, shown in list")
    .option("--host <host>", "host the key may act on (repeatable; default: every host)", collect)
    .option("--kind <kind>", `invite kind it may create: ${API_KEY_KINDS.join(", ")} (repeatable; default: all)`, collect)
    .option("--expires <duration>", "lifetime: seconds, or a duration such as 30d, 12h, 1w (default: never expires)")
    .option("--config <file>", "configuration file")
    .action(async (opts: { name?: string; host?: string[]; kind?: string[]; expires?: string; config?: string }) => {
      const now = Date.now();
      const kinds = parseKinds(opts.kind);
      const expires = parseExpires(opts.expires, now);
      await withStorage(opts.config, async (storage, config) => {
        const hosts = opts.host?.map((h) => resolveHost(config, h));
        const { record, credential } = await createApiKey(storage.apiKeys, { name: opts.name, hosts, kinds, expires }, now);
        console.log(credential);
        const name = record.name === undefined ? "" : ` "${record.name}"`;
        console.error(
          `API key ${record.id}${name}: hosts ${hostsText(record)}; kinds ${record.kinds.join(",")}; expires ${expiresText(record)}. ` +
            "The secret is not stored and will not be shown again.",
        );
      });
    });

  apiKey
    .command("list")
    .description("list the keys (revoked ones too)")
    .option("--config <file>", "configuration file")
    .action(async (opts: { config?: string }) => {
      await withStorage(opts.config, async (storage) => {
        const keys = await storage.apiKeys.list();
        if (keys.length === 0) {
          console.log("no API keys");
          return;
        }
        const rows = keys.map((k) => [
          k.id,
          k.name ?? "-",
          hostsText(k),
          k.kinds.join(","),
          expiresText(k),
          k.revokedAt === undefined ? "-" : formatTime(k.revokedAt),
        ]);
        for (const line of table(["id", "name", "hosts", "kinds", "expires", "revoked"], rows)) console.log(line);
      });
    });

  apiKey
    .command("revoke <id>")
    .description("revoke a key: requests with it are refused from now on")
    .option("--config <file>", "configuration file")
    .action(async (id: string, opts: { config?: string }) => {
      await withStorage(opts.config, async (storage) => {
        // Someone may paste the whole ID.SECRET: take the id, never echo the secret.
        const keyId = id.split(/[./]/)[0]!;
        const key = await storage.apiKeys.get(keyId);
        if (key === undefined) throw new CliError(`no API key '${keyId}'`);
        if (!(await storage.apiKeys.revoke(keyId, Date.now()))) throw new CliError(`API key ${keyId} is already revoked`);
        console.log(`revoked API key ${keyId}`);
      });
    });
}
