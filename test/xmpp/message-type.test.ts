import { test } from "node:test";
import assert from "node:assert/strict";
import { x } from "../../src/xml/element.ts";
import { messageType } from "../../src/xmpp/message-type.ts";

test("known message types are kept", () => {
  for (const t of ["normal", "chat", "groupchat", "headline", "error"] as const) {
    assert.equal(messageType(x("message", { type: t })), t);
  }
});

test("a missing or unknown type means normal (RFC 6121 §5.2.2)", () => {
  assert.equal(messageType(x("message")), "normal");
  assert.equal(messageType(x("message", { type: "shout" })), "normal");
  assert.equal(messageType(x("message", { type: "" })), "normal");
});
