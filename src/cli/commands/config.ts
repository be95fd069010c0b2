// `hearth config check`: validates a configuration file without starting anything.
import type { Command } from "commander";
import { readConfig } from "../context.ts";

export function registerConfigCommands(program: Command): void {
  program
    .command("config")
    .description("configuration")
    .command("check")
    .description("validate the configuration and print what it resolves to")
    .option("--config <file>", "configuration file")
    .action((opts: { config?: string }) => {
      const config = readConfig(opts.config);
      console.log(`configuration OK${config.configPath ? ` (${config.configPath})` : " (built-in defaults)"}`);
      console.log(`  data directory: ${config.dataDir}`);
      console.log(`  storage: ${config.storage.driver} ${config.storage.path}`);
      console.log(`  hosts: ${config.hosts.map((h) => h.domain).join(", ")}`);
      for (const l of config.listeners) console.log(`  listener: ${l.kind} ${l.address}:${l.port}`);
      console.log(`  TLS: ${config.tls.policy}`);
    });
}
