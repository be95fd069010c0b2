// Roles an invite may give (invites.md §7.6): our names, Prosody's aliases, and the configured extra roles.
import { InviteError } from "./api.ts";

export const BUILTIN_ROLES: readonly string[] = ["admin", "user", "restricted", "operator"];

const ALIASES: Readonly<Record<string, string>> = {
  "prosody:admin": "admin",
  "prosody:registered": "user",
  "prosody:user": "user",
  "prosody:restricted": "restricted",
  "prosody:guest": "restricted",
  "prosody:operator": "operator",
};

/** Our name for a role, or undefined when it is not one invites may give. */
export function canonicalRole(name: string, extraRoles: readonly string[]): string | undefined {
  const alias = ALIASES[name];
  if (alias !== undefined) return alias;
  if (BUILTIN_ROLES.includes(name) || extraRoles.includes(name)) return name;
  return undefined;
}

/**
 * The invite's roles under our names, duplicates dropped (primary first). Unknown names are refused
 * (bad-role), and so is `operator` unless the creator may hand it out (role-not-permitted).
 */
export function checkRoles(roles: readonly string[], extraRoles: readonly string[], mayGrantOperator: boolean): string[] {
  const out: string[] = [];
  for (const name of roles) {
    const role = canonicalRole(name, extraRoles);
    if (role === undefined) throw new InviteError("bad-role", `Unknown role: ${name}`);
    if (role === "operator" && !mayGrantOperator) throw new InviteError("role-not-permitted", "Only an operator may give the operator role");
    if (!out.includes(role)) out.push(role);
  }
  return out;
}
