// Runs the real `hearth` command as a child process against a throwaway config and data directory.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStorage } from "../../src/storage/open.ts";
import type { Storage } from "../../src/storage/types.ts";
import { loadConfig, type Config } from "../../src/core/config/index.ts";

export const BIN = fileURLToPath(new URL("../../bin/hearth.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dir: string;
  configPath: string;
  dbPath: string;
  /** Runs `hearth <args> --config <configPath>`; `input` goes to its standard input (a pipe, never a TTY). */
  run(args: string[], input?: string): Promise<CliResult>;
  /** Opens the sandbox's SQLite file for the duration of `fn`. */
  withStorage<T>(fn: (storage: Storage) => Promise<T>): Promise<T>;
  /** The sandbox's configuration, as the CLI reads it. */
  config(): Config;
  remove(): void;
}

export const HOST = "example.com";
export const OTHER_HOST = "other.example";

/**
 * Two hosts and a loopback XMPP listener on a free port. The web server is off unless `http` (then on
 * loopback, free ports), so invites have no landing page unless `pageUrl` is given.
 */
export function sandbox(opts: { pageUrl?: string; http?: boolean } = {}): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "hearth-cli-"));
  const configPath = join(dir, "hearth.toml");
  const dataDir = join(dir, "data");
  writeFileSync(
    configPath,
    [
      `data_dir = ${JSON.stringify(dataDir)}`,
      `log_level = "info"`,
      "",
      "[[hosts]]",
      `domain = "${HOST}"`,
      "",
      "[[hosts]]",
      `domain = "${OTHER_HOST}"`,
      "",
      "[[listeners]]",
      `kind = "starttls"`,
      `address = "127.0.0.1"`,
      "port = 0",
      "",
      "[http]",
      ...(opts.http ? [`address = "127.0.0.1"`, "port = 0", "https_port = 0"] : ["enabled = false"]),
      "",
      "[invites]",
      `page_url = ${JSON.stringify(opts.pageUrl ?? "")}`,
      "",
    ].join("\n"),
  );
  const dbPath = join(dataDir, "hearth.sqlite");
  return {
    dir,
    configPath,
    dbPath,
    run: (args, input) => runCli([...args, "--config", configPath], input),
    async withStorage(fn) {
      const storage = await openStorage({ driver: "sqlite", path: dbPath });
      try {
        return await fn(storage);
      } finally {
        await storage.close();
      }
    },
    config: () => loadConfig(configPath),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function runCli(args: string[], input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}
