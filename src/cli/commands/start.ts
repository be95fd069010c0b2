// `hearth start`: runs the server until SIGTERM or SIGINT, then shuts down gracefully.
import type { Command } from "commander";
import { HearthServer } from "../../core/server.ts";
import { createLogger } from "../../core/logger.ts";
import { readConfig } from "../context.ts";

export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description("run the server")
    .option("--config <file>", "configuration file")
    .action(async (opts: { config?: string }) => {
      const config = readConfig(opts.config);
      const log = createLogger(config.logLevel);
      log.info(
        { config: config.configPath ?? "(built-in defaults)", dataDir: config.dataDir, storage: config.storage.path },
        "starting Hearth",
      );
      const server = await HearthServer.start({ config, log });
      for (const h of config.hosts) log.info({ host: h.domain, certificate: server.certPath(h.domain) }, "serving host");
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, "shutting down");
        server.stop().then(
          () => process.exit(0),
          (err) => {
            log.error({ err }, "shutdown failed");
            process.exit(1);
          },
        );
      };
      process.on("SIGTERM", () => stop("SIGTERM"));
      process.on("SIGINT", () => stop("SIGINT"));
    });
}
