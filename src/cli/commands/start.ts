// `hearth start`: runs the server until SIGTERM or SIGINT, then shuts down gracefully.
import type { Command } from "commander";
import { createLogger } from "../../core/logger.ts";
import { readConfig } from "../context.ts";
import { bootstrapAdminInvites } from "../bootstrap.ts";

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
      // Loaded here, not at the top: the other commands start faster without the whole server.
      const { HearthServer } = await import("../../core/server.ts");
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
      // The first admin invite goes to stdout, never through the logger: tokens are not logged.
      try {
        const emit = server.events.emit.bind(server.events);
        const lines = await bootstrapAdminInvites({ storage: server.storage, config, log, emit });
        for (const line of lines) console.log(line);
      } catch (err) {
        log.error({ err }, "could not create the first admin invite");
      }
    });
}
