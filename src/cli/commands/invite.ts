// `hearth invite create|contact|reset|list|show|revoke|tree|purge`: invites, with the server running or not.
import { createHash } from "node:crypto";
import type { Command } from "commander";
import type { Config } from "../../core/config/index.ts";
import { InviteError, type CreatedInvite, type Creator, type InviteErrorCode } from "../../modules/invites/api.ts";
import { InvitesModel } from "../../modules/invites/model.ts";
import type { Storage } from "../../storage/types.ts";
import { collect, localAccount, parseMaxUses, parseTtl, resolveHost } from "../args.ts";
import { withStorage } from "../context.ts";
import { CliError } from "../errors.ts";
import { describe, formatTime, listLines, showLines, treeLines } from "../invite-format.ts";
import { createdInviteJson, inviteJson } from "../../modules/invites/json.ts";

const CLI_CREATOR: Creator = { by: "cli", isAdmin: true };

/** The flag an invite error is about, so the message can name it. */
const FLAG_OF: Partial<Record<InviteErrorCode, string>> = {
  "bad-username": "--username",
  "bad-role": "--role",
  "role-not-permitted": "--role",
  "bad-ttl": "--ttl",
  "bad-max-uses": "--max-uses",
  "no-such-group": "--group",
};

export function inviteFailure(e: unknown): never {
  if (e instanceof InviteError) {
    const flag = FLAG_OF[e.code];
    throw new CliError(flag === undefined ? e.message : `${flag}: ${e.message}`);
  }
  throw e;
}

async function withInvites<T>(
  configPath: string | undefined,
  fn: (invites: InvitesModel, storage: Storage, config: Config) => Promise<T>,
): Promise<T> {
  return withStorage(configPath, async (storage, config) => {
    try {
      return await fn(new InvitesModel({ storage, config }), storage, config);
    } catch (e) {
      return inviteFailure(e);
    }
  });
}

function printCreated(created: CreatedInvite, json: boolean | undefined): void {
  if (json) {
    console.log(JSON.stringify(createdInviteJson(created, Date.now()), null, 2));
    return;
  }
  console.log(created.uri);
  if (created.landingPage !== undefined) console.log(created.landingPage);
  console.error(`${describe(created.invite)} (id ${created.invite.id}), valid until ${formatTime(created.invite.expires)}`);
}

function isToken(arg: string, tokenHash: string): boolean {
  return createHash("sha256").update(arg, "utf8").digest("hex") === tokenHash;
}

interface CommonCreateOpts {
  ttl?: string;
  reusable?: boolean;
  maxUses?: string;
  note?: string;
  json?: boolean;
  config?: string;
}

function reuseOptions(opts: CommonCreateOpts): { reusable: boolean; maxUses: number | undefined } {
  const maxUses = parseMaxUses(opts.maxUses);
  return { reusable: opts.reusable === true || maxUses !== undefined, maxUses };
}

export function registerInviteCommands(program: Command): void {
  const invite = program.command("invite").description("create and manage invitations");

  invite
    .command("create")
    .description("create an invitation to register an account")
    .option("--host <host>", "host the account is made on (default: the first configured host)")
    .option("--username <name>", "the only username the invite may register (reserved until it is used or expires)")
    .option("--ttl <duration>", "lifetime: seconds, or a duration such as 2d, 12h, 1w (default: invites.expiry)")
    .option("--reusable", "may be used by more than one person until it expires")
    .option("--max-uses <n>", "with --reusable: how many accounts it may make in all")
    .option("--role <role>", "role given to the new account, primary first (repeatable)", collect)
    .option("--group <group>", "group (circle) the new account joins (repeatable)", collect)
    .option("--note <text>", "a note for the admins, shown in list and show")
    .option("--json", "print the whole invite as JSON")
    .option("--config <file>", "configuration file")
    .action(async (opts: CommonCreateOpts & { host?: string; username?: string; role?: string[]; group?: string[] }) => {
      const ttlSeconds = parseTtl(opts.ttl);
      const reuse = reuseOptions(opts);
      await withInvites(opts.config, async (invites, _storage, config) => {
        const created = await invites.createAccount({
          host: resolveHost(config, opts.host),
          creator: CLI_CREATOR,
          ttlSeconds,
          note: opts.note,
          username: opts.username,
          roles: opts.role,
          groups: opts.group,
          ...reuse,
        });
        printCreated(created, opts.json);
      });
    });

  invite
    .command("contact <jid>")
    .description("create an invitation to become a contact of an account")
    .option("--ibr", "the invite may also register an account")
    .option("--ttl <duration>", "lifetime: seconds, or a duration such as 2d, 12h, 1w (default: invites.expiry)")
    .option("--reusable", "may be used by more than one person until it expires")
    .option("--max-uses <n>", "with --reusable: how many times it may be used in all")
    .option("--note <text>", "a note for the admins")
    .option("--json", "print the whole invite as JSON")
    .option("--config <file>", "configuration file")
    .action(async (jidArg: string, opts: CommonCreateOpts & { ibr?: boolean }) => {
      const ttlSeconds = parseTtl(opts.ttl);
      const reuse = reuseOptions(opts);
      await withInvites(opts.config, async (invites, _storage, config) => {
        const { username, host } = localAccount(
          jidArg,
          config,
          `Supply the JID of the account that sends the invitation (user@host), not '${jidArg}'`,
        );
        const created = await invites.createContact({
          host,
          creator: CLI_CREATOR,
          inviter: username,
          allowRegistration: opts.ibr === true,
          ttlSeconds,
          note: opts.note,
          ...reuse,
        });
        printCreated(created, opts.json);
      });
    });

  invite
    .command("reset <jid>")
    .description("create a password reset invitation for an account")
    .option("--ttl <duration>", "lifetime: seconds, or a duration such as 2d, 12h (default: invites.reset_expiry)")
    .option("--note <text>", "a note for the admins")
    .option("--json", "print the whole invite as JSON")
    .option("--config <file>", "configuration file")
    .action(async (jidArg: string, opts: CommonCreateOpts) => {
      const ttlSeconds = parseTtl(opts.ttl);
      await withInvites(opts.config, async (invites, _storage, config) => {
        const { username, host } = localAccount(
          jidArg,
          config,
          `Supply the JID of the account you want to generate a password reset for (user@host), not '${jidArg}'`,
        );
        const created = await invites.createReset({ host, creator: CLI_CREATOR, username, ttlSeconds, note: opts.note });
        printCreated(created, opts.json);
      });
    });

  invite
    .command("list")
    .description("list the invitations that can still be used")
    .option("--host <host>", "host (default: the first configured host)")
    .option("--json", "print them as JSON")
    .option("--config <file>", "configuration file")
    .action(async (opts: { host?: string; json?: boolean; config?: string }) => {
      await withInvites(opts.config, async (invites, _storage, config) => {
        const records = await invites.list(resolveHost(config, opts.host));
        if (opts.json) {
          const now = Date.now();
          console.log(JSON.stringify(records.map((r) => inviteJson(r, now)), null, 2));
          return;
        }
        for (const line of listLines(records, (r) => invites.kindOf(r))) console.log(line);
      });
    });

  invite
    .command("show <token-or-id>")
    .description("describe an invitation, given its token or its id")
    .option("--host <host>", "host (default: the first configured host)")
    .option("--json", "print it as JSON")
    .option("--config <file>", "configuration file")
    .action(async (arg: string, opts: { host?: string; json?: boolean; config?: string }) => {
      await withInvites(opts.config, async (invites, _storage, config) => {
        const host = resolveHost(config, opts.host);
        const record = await invites.find(host, arg);
        if (!record) throw new CliError(`no invite '${arg}' on ${host}`);
        const token = isToken(arg, record.tokenHash) ? arg : undefined;
        const kind = invites.kindOf(record);
        const uri = token === undefined ? undefined : invites.uriFor(record, token);
        const landingPage = token === undefined ? undefined : invites.landingPageFor(record, token);
        if (opts.json) {
          console.log(JSON.stringify({ ...inviteJson(record, Date.now()), uri: uri ?? null, landing_url: landingPage ?? null }, null, 2));
          return;
        }
        for (const line of showLines(record, { kind, uri, landingPage, now: Date.now() })) console.log(line);
      });
    });

  invite
    .command("revoke <token-or-id>")
    .description("revoke an invitation so that it can no longer be used")
    .option("--host <host>", "host (default: the first configured host)")
    .option("--config <file>", "configuration file")
    .action(async (arg: string, opts: { host?: string; config?: string }) => {
      await withInvites(opts.config, async (invites, _storage, config) => {
        const host = resolveHost(config, opts.host);
        const record = await invites.find(host, arg);
        if (!record) throw new CliError(`no invite '${arg}' on ${host}`);
        if (!(await invites.revoke(host, arg))) throw new CliError(`invite ${record.id} is no longer usable (already revoked, used or expired)`);
        console.log(`revoked invite ${record.id}`);
      });
    });

  invite
    .command("tree")
    .description("show who invited whom")
    .option("--host <host>", "host (default: the first configured host)")
    .option("--config <file>", "configuration file")
    .action(async (opts: { host?: string; config?: string }) => {
      await withInvites(opts.config, async (invites, _storage, config) => {
        const host = resolveHost(config, opts.host);
        const roots = await invites.tree(host);
        if (roots.length === 0) {
          console.log(`no one has joined ${host} by invitation yet`);
          return;
        }
        for (const line of treeLines(roots)) console.log(line);
      });
    });

  invite
    .command("purge")
    .description("delete expired invitations and old used or revoked ones (the server also does this by itself)")
    .option("--config <file>", "configuration file")
    .action(async (opts: { config?: string }) => {
      await withInvites(opts.config, async (invites) => {
        const n = await invites.purge();
        console.log(`purged ${n} invite${n === 1 ? "" : "s"}`);
      });
    });
}
