// Reads hearth.toml (TOML 1.0), validates it and resolves every relative path to an absolute one.
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { ConfigError, formatIssues } from "./errors.ts";
import { configSchema } from "./schema.ts";
import type { Config } from "./schema.ts";

export function parseConfig(raw: unknown, opts: { baseDir: string; configPath?: string }): Config {
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ConfigError(formatIssues(result.error.issues, opts.configPath));
  const config: Config = result.data;
  const baseDir = resolve(opts.baseDir);
  config.dataDir = resolve(baseDir, config.dataDir);
  if (config.storage.path !== ":memory:") config.storage.path = resolve(config.dataDir, config.storage.path);
  for (const host of config.hosts) {
    if (host.certPath !== undefined) host.certPath = resolve(baseDir, host.certPath);
    if (host.keyPath !== undefined) host.keyPath = resolve(baseDir, host.keyPath);
  }
  return opts.configPath === undefined ? config : { configPath: opts.configPath, ...config };
}

export function defaultConfig(): Config {
  return parseConfig({}, { baseDir: process.cwd() });
}

/** Without a path, the defaults (no file needed). */
export function loadConfig(path?: string): Config {
  if (path === undefined) return defaultConfig();
  const file = isAbsolute(path) ? path : resolve(path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "file not found" : code === "EACCES" ? "permission denied" : (err as Error).message;
    throw new ConfigError([`${file}: cannot read config file: ${why}`]);
  }
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const reason = (err.message.split("\n")[0] ?? "").replace(/^Invalid TOML document: /, "");
    throw new ConfigError([`${file}:${err.line}:${err.column}: invalid TOML: ${reason}`], err.codeblock);
  }
  return parseConfig(raw, { baseDir: dirname(file), configPath: file });
}
