// Password policy for new and changed passwords (Prosody's mod_password_policy, counted in code points after SASLprep).
import { saslprepPassword } from "../../auth/credentials.ts";

export interface PasswordPolicy {
  minLength: number;
  excludeUsername: boolean;
}

/** What is wrong with the password, in words for the user; undefined when it is acceptable. */
export function passwordProblem(policy: PasswordPolicy, password: string, username: string): string | undefined {
  let prepared: string;
  try {
    prepared = saslprepPassword(password);
  } catch {
    return "The password contains characters that are not allowed";
  }
  const min = Math.max(1, policy.minLength);
  if ([...prepared].length < min) return `Password is too short (minimum ${min} characters)`;
  if (policy.excludeUsername && username !== "" && prepared.toLowerCase().includes(username.toLowerCase())) {
    return "Password must not include your username";
  }
  return undefined;
}
