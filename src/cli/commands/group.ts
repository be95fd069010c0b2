// `hearth group create|list|show|add|remove|delete`: circles, written straight to storage (server running or not).
import type { Command } from "commander";
import { GroupError } from "../../modules/groups/api.ts";
import { addMember, checkGroupId, createGroup, deleteGroup, removeMember } from "../../modules/groups/circle.ts";
import type { Group, Storage } from "../../storage/types.ts";
import { localAccount, resolveHost } from "../args.ts";
import { withStorage } from "../context.ts";
import { CliError } from "../errors.ts";
import { formatTime, table } from "../invite-format.ts";

function groupFailure(e: unknown): never {
  if (e instanceof GroupError) throw new CliError(e.code === "bad-name" ? `--name: ${e.message}` : e.message);
  throw e;
}

async function existing(storage: Storage, host: string, id: string): Promise<Group> {
  const group = await storage.groups.get(host, id);
  if (!group) throw new CliError(`no group '${id}' on ${host}`);
  return group;
}

function checkId(id: string): void {
  try {
    checkGroupId(id);
  } catch (e) {
    groupFailure(e);
  }
}

const MEMBER_MISSING_LOCAL = (input: string) => `Supply the JID of an account (user@host), not '${input}'`;

export function registerGroupCommands(program: Command): void {
  const group = program.command("group").description("manage groups (circles: members have each other as contacts)");

  group
    .command("create <id>")
    .description("create a group")
    .option("--name <name>", "name shown in the members' rosters (default: the id)")
    .option("--host <host>", "host (default: the first configured host)")
    .option("--config <file>", "configuration file")
    .action(async (id: string, opts: { name?: string; host?: string; config?: string }) => {
      await withStorage(opts.config, async (storage, config) => {
        const host = resolveHost(config, opts.host);
        const name = opts.name ?? id;
        let created: boolean;
        try {
          created = await createGroup(storage, host, id, name);
        } catch (e) {
          groupFailure(e);
        }
        if (!created) throw new CliError(`group '${id}' already exists on ${host}`);
        console.log(`created group ${id} (${JSON.stringify(name)}) on ${host}`);
      });
    });

  group
    .command("list")
    .description("list the groups of a host")
    .option("--host <host>", "host (default: the first configured host)")
    .option("--json", "print them as JSON")
    .option("--config <file>", "configuration file")
    .action(async (opts: { host?: string; json?: boolean; config?: string }) => {
      await withStorage(opts.config, async (storage, config) => {
        const host = resolveHost(config, opts.host);
        const groups = await storage.groups.list(host);
        const counts = await Promise.all(groups.map(async (g) => (await storage.groups.members(host, g.id)).length));
        if (opts.json) {
          const out = groups.map((g, i) => ({ id: g.id, name: g.name, host, createdAt: new Date(g.createdAt).toISOString(), members: counts[i] }));
          console.log(JSON.stringify(out, null, 2));
          return;
        }
        if (groups.length) {
          for (const line of table(["id", "members", "name"], groups.map((g, i) => [g.id, String(counts[i]), g.name]))) console.log(line);
        }
        console.log(`${groups.length} group${groups.length === 1 ? "" : "s"}`);
      });
    });

  group
    .command("show <id>")
    .description("show a group and its members")
    .option("--host <host>", "host (default: the first configured host)")
    .option("--json", "print it as JSON")
    .option("--config <file>", "configuration file")
    .action(async (id: string, opts: { host?: string; json?: boolean; config?: string }) => {
      await withStorage(opts.config, async (storage, config) => {
        const host = resolveHost(config, opts.host);
        const g = await existing(storage, host, id);
        const members = (await storage.groups.members(host, id)).map((u) => `${u}@${host}`);
        if (opts.json) {
          console.log(JSON.stringify({ id: g.id, name: g.name, host, createdAt: new Date(g.createdAt).toISOString(), members }, null, 2));
          return;
        }
        console.log(`Group ${g.id} on ${host}`);
        console.log(`Name:     ${g.name}`);
        console.log(`Created:  ${formatTime(g.createdAt)}`);
        console.log(`Members:  ${members.length}`);
        for (const m of members) console.log(`  ${m}`);
      });
    });

  group
    .command("add <id> <jid>")
    .description("add an account to a group of its host (it and the members become contacts)")
    .option("--config <file>", "configuration file")
    .action(async (id: string, jidArg: string, opts: { config?: string }) => {
      await withStorage(opts.config, async (storage, config) => {
        const { username, host } = localAccount(jidArg, config, MEMBER_MISSING_LOCAL(jidArg));
        checkId(id);
        await existing(storage, host, id);
        if (!(await storage.accounts.exists(host, username))) throw new CliError(`${username}@${host} does not exist`);
        if ((await storage.groups.members(host, id)).includes(username)) throw new CliError(`${username}@${host} is already in group ${id}`);
        let contacts: number;
        try {
          contacts = (await storage.transaction((tx) => addMember(tx, host, id, username))).rosterChanges.length;
        } catch (e) {
          groupFailure(e);
        }
        console.log(`added ${username}@${host} to group ${id} (${contacts} roster item${contacts === 1 ? "" : "s"} written)`);
      });
    });

  group
    .command("remove <id> <jid>")
    .description("take an account out of a group (the contacts the group made go)")
    .option("--config <file>", "configuration file")
    .action(async (id: string, jidArg: string, opts: { config?: string }) => {
      await withStorage(opts.config, async (storage, config) => {
        const { username, host } = localAccount(jidArg, config, MEMBER_MISSING_LOCAL(jidArg));
        checkId(id);
        await existing(storage, host, id);
        if (!(await storage.groups.members(host, id)).includes(username)) throw new CliError(`${username}@${host} is not in group ${id}`);
        try {
          await storage.transaction((tx) => removeMember(tx, host, id, username));
        } catch (e) {
          groupFailure(e);
        }
        console.log(`removed ${username}@${host} from group ${id}`);
      });
    });

  group
    .command("delete <id>")
    .description("delete a group, taking every member out first")
    .option("--host <host>", "host (default: the first configured host)")
    .option("--config <file>", "configuration file")
    .action(async (id: string, opts: { host?: string; config?: string }) => {
      await withStorage(opts.config, async (storage, config) => {
        const host = resolveHost(config, opts.host);
        checkId(id);
        await existing(storage, host, id);
        const members = (await storage.groups.members(host, id)).length;
        const result = await storage.transaction((tx) => deleteGroup(tx, host, id));
        if (!result.changed) throw new CliError(`no group '${id}' on ${host}`);
        console.log(`deleted group ${id} on ${host} (${members} member${members === 1 ? "" : "s"} taken out)`);
      });
    });
}
