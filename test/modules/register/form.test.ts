import { test } from "node:test";
import assert from "node:assert/strict";
import { parseOne } from "../../helpers/match.ts";
import { missingFields, readSubmission } from "../../../src/modules/register/form.ts";

const Q = "jabber:iq:register";

test("legacy fields: absent is undefined, empty is the empty string", () => {
  const s = readSubmission(parseOne(`<query xmlns='${Q}'><username></username></query>`));
  assert.deepEqual(s, { username: "", password: undefined, remove: false });
  assert.equal(missingFields(s), "Password: Required value missing");
});

test("a submitted data form wins over legacy fields", () => {
  const s = readSubmission(
    parseOne(
      `<query xmlns='${Q}'><username>legacy</username><x xmlns='jabber:x:data' type='submit'>` +
        `<field var='FORM_TYPE'><value>${Q}</value></field><field var='username'><value>juliet</value></field>` +
        `<field var='password'><value>pw</value></field></x></query>`,
    ),
  );
  assert.deepEqual(s, { username: "juliet", password: "pw", remove: false });
  assert.equal(missingFields(s), undefined);
});

test("both missing: one line each, username first; <remove/> is seen", () => {
  const s = readSubmission(parseOne(`<query xmlns='${Q}'><remove/></query>`));
  assert.equal(s.remove, true);
  assert.equal(missingFields(s), "Username: Required value missing\nPassword: Required value missing");
});
