// The `hearth` command line.
import { Command, CommanderError } from "commander";
import { CliError } from "./errors.ts";
import { registerStartCommand } from "./commands/start.ts";
import { registerUserCommands } from "./commands/user.ts";
import { registerConfigCommands } from "./commands/config.ts";
import { registerInviteCommands } from "./commands/invite.ts";
import { registerGroupCommands } from "./commands/group.ts";
import { registerApiKeyCommands } from "./commands/api-key.ts";

const program = new Command("hearth")
  .description("Hearth: an XMPP server where people join by invitation")
  .showHelpAfterError()
  .exitOverride();

registerStartCommand(program);
registerUserCommands(program);
registerInviteCommands(program);
registerGroupCommands(program);
registerApiKeyCommands(program);
registerConfigCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (e instanceof CliError) {
    console.error(`hearth: ${e.message}`);
    process.exit(e.exitCode);
  }
  console.error(e);
  process.exit(1);
}
