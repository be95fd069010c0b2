// Config errors, each line naming the file and the key path as TOML writes it: `listeners[0].port: must be at most 65535`.
import type { z } from "zod";
import { tomlType } from "./schema-common.ts";

export class ConfigError extends Error {
  readonly issues: string[];

  constructor(issues: string[], detail?: string) {
    const head = issues.length === 1 ? "Invalid configuration:" : `Invalid configuration (${issues.length} problems):`;
    super([head, ...issues.map((i) => `  ${i}`), ...(detail ? [detail] : [])].join("\n"));
    this.name = "ConfigError";
    this.issues = issues;
  }
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else {
      const name = typeof key === "string" && BARE_KEY.test(key) ? key : JSON.stringify(String(key));
      out += out === "" ? name : `.${name}`;
    }
  }
  return out;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return tomlType(value);
}

const EXPECTED: Record<string, string> = {
  number: "a number",
  string: "a string",
  boolean: "a boolean",
  array: "an array",
  object: "a table",
};

type Issue = z.core.$ZodIssue & Record<string, unknown>;

function describe(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type": {
      const got = typeof issue.received === "string" ? issue.received : tomlType(issue.input);
      if (issue.input === undefined && issue.received === undefined) return "is required";
      if (issue.expected === "int") return `must be a whole number, got ${show(issue.input)}`;
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${got}`;
    }
    case "too_big":
    case "too_small": {
      const big = issue.code === "too_big";
      const bound = Number(big ? issue.maximum : issue.minimum);
      if (issue.origin === "string") {
        return big ? `must be at most ${bound} characters` : bound === 1 ? "must not be empty" : `must be at least ${bound} characters`;
      }
      if (issue.origin === "array") {
        const noun = bound === 1 ? "entry" : "entries";
        return `must have at ${big ? "most" : "least"} ${bound} ${noun}`;
      }
      if (issue.inclusive === false) return `must be ${big ? "less" : "more"} than ${bound}`;
      return `must be at ${big ? "most" : "least"} ${bound}`;
    }
    case "invalid_value": {
      const options = issue.values.map((v) => JSON.stringify(v));
      const want = options.length === 1 ? `must be ${options[0]}` : `must be one of ${options.join(", ")}`;
      return `${want}, got ${show(issue.input)}`;
    }
    default:
      return issue.message;
  }
}

/** One line per problem; `file` prefixes each line when the config came from a file. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], file?: string): string[] {
  const prefix = file ? `${file}: ` : "";
  const lines: string[] = [];
  for (const raw of issues) {
    const issue = raw as Issue;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) lines.push(`${prefix}${formatKeyPath([...issue.path, key])}: unknown key`);
      continue;
    }
    const where = formatKeyPath(issue.path);
    lines.push(`${prefix}${where ? `${where}: ` : ""}${describe(issue)}`);
  }
  return lines;
}
