// The password policy: length in code points after SASLprep, and the username rule (case-insensitive).
import { test } from "node:test";
import assert from "node:assert/strict";
import { passwordProblem } from "../../../src/modules/accounts/password-policy.ts";

const policy = { minLength: 8, excludeUsername: true };

test("length is counted in Unicode code points", () => {
  assert.equal(passwordProblem(policy, "1234567", "juliet"), "Password is too short (minimum 8 characters)");
  assert.equal(passwordProblem(policy, "12345678", "juliet"), undefined);
  assert.equal(passwordProblem(policy, "ééééééé", "juliet"), "Password is too short (minimum 8 characters)");
  // Eight emoji are sixteen UTF-16 units and 32 bytes, but eight characters.
  assert.equal(passwordProblem(policy, "😀".repeat(7), "juliet"), "Password is too short (minimum 8 characters)");
  assert.equal(passwordProblem(policy, "😀".repeat(8), "juliet"), undefined);
  // SASLprep drops the soft hyphen before counting.
  assert.equal(passwordProblem(policy, "1234567\u00AD", "juliet"), "Password is too short (minimum 8 characters)");
  assert.equal(passwordProblem({ minLength: 1, excludeUsername: true }, "", "juliet"), "Password is too short (minimum 1 characters)");
});

test("the username may not appear in the password, whatever the case", () => {
  assert.equal(passwordProblem(policy, "I am JULIET, hi", "juliet"), "Password must not include your username");
  assert.equal(passwordProblem({ ...policy, excludeUsername: false }, "I am JULIET, hi", "juliet"), undefined);
  assert.equal(passwordProblem(policy, "I am Romeo, hi", "juliet"), undefined);
});

test("characters SASLprep prohibits are refused", () => {
  assert.equal(passwordProblem(policy, "pass\u0007word", "juliet"), "The password contains characters that are not allowed");
});
