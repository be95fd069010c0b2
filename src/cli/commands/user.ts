// `hearth user add|passwd|delete|list`: account management, with the server running or not.
import type { Command } from "commander";
import { deriveCredentials, saslprepPassword } from "../../auth/credentials.ts";
import type { Config } from "../../core/config/index.ts";
import { InvitesModel } from "../../modules/invites/model.ts";
import { withStorage } from "../context.ts";
import { localAccount } from "../args.ts";
import { CliError } from "../errors.ts";
import { obtainPassword } from "../prompt.ts";

const ROLES = ["admin", "user"] as const;

/** `user@host` on a configured host. */
function accountJid(input: string, config: Config): { username: string; host: string } {
  return localAccount(input, config, `'${input}' is not an account address; expected user@host`);
}

export function checkPassword(password: string): void {
  try {
    saslprepPassword(password);
  } catch {
    throw new CliError("the password contains characters that are not allowed");
  }
}

export function registerUserCommands(program: Command): void {
  const user = program.command("user").description("manage accounts");

  user
    .command("add <jid>")
    .description("create an account")
    .option("--password-stdin", "read the password from standard input")
    .option("--role <role>", `role of the account (${ROLES.join("|")})`, "user")
    .option("--config <file>", "configuration file")
    .action(async (jidArg: string, opts: { passwordStdin?: boolean; role: string; config?: string }) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) throw new CliError(`--role must be one of ${ROLES.join(", ")}`);
      await withStorage(opts.config, async (storage, config) => {
        const { username, host } = accountJid(jidArg, config);
        if (await storage.accounts.exists(host, username)) throw new CliError(`${username}@${host} already exists`);
        const password = await obtainPassword(opts.passwordStdin);
        checkPassword(password);
        const created = await storage.accounts.create(host, username, await deriveCredentials(password), opts.role);
        if (!created) throw new CliError(`${username}@${host} already exists`);
        console.log(`created ${username}@${host} (${opts.role})`);
      });
    });

  user
    .command("passwd <jid>")
    .description("set an account's password")
    .option("--password-stdin", "read the password from standard input")
    .option("--config <file>", "configuration file")
    .action(async (jidArg: string, opts: { passwordStdin?: boolean; config?: string }) => {
      await withStorage(opts.config, async (storage, config) => {
        const { username, host } = accountJid(jidArg, config);
        if (!(await storage.accounts.exists(host, username))) throw new CliError(`${username}@${host} does not exist`);
        const password = await obtainPassword(opts.passwordStdin);
        checkPassword(password);
        await storage.accounts.setCredentials(host, username, await deriveCredentials(password));
        console.log(`password of ${username}@${host} changed`);
      });
    });

  user
    .command("delete <jid>")
    .description("delete an account and everything it owns")
    .option("--config <file>", "configuration file")
    .action(async (jidArg: string, opts: { config?: string }) => {
      await withStorage(opts.config, async (storage, config) => {
        const { username, host } = accountJid(jidArg, config);
        if (!(await storage.accounts.delete(host, username))) throw new CliError(`${username}@${host} does not exist`);
        // What the running server does on user-deleted, done here too: the CLI may run with the server stopped.
        const revoked = await new InvitesModel({ storage, config }).revokeOwnedBy(host, username);
        console.log(`deleted ${username}@${host}${revoked > 0 ? ` and revoked ${revoked} of its invites` : ""}`);
      });
    });

  user
    .command("list")
    .description("list accounts")
    .option("--host <host>", "only this host")
    .option("--config <file>", "configuration file")
    .action(async (opts: { host?: string; config?: string }) => {
      await withStorage(opts.config, async (storage, config) => {
        if (opts.host && !config.hosts.some((h) => h.domain === opts.host)) {
          throw new CliError(`${opts.host} is not a host of this server`);
        }
        const accounts = await storage.accounts.list(opts.host);
        for (const a of accounts) {
          console.log(`${a.username}@${a.host}\t${a.role}\t${new Date(a.createdAt).toISOString()}`);
        }
        console.log(`${accounts.length} account${accounts.length === 1 ? "" : "s"}`);
      });
    });
}
