import { test } from "node:test";
import assert from "node:assert/strict";
import { parseElement } from "../../../src/xml/parse-element.ts";
import { decodeTime, encodeTime, entityTime } from "../../../src/modules/time/codec.ts";

test("the time answer is UTC with tzo Z", () => {
  const t = entityTime(Date.UTC(2006, 11, 19, 17, 58, 35));
  assert.deepEqual(t, { tzo: "Z", utc: "2006-12-19T17:58:35.000Z" });
  const el = encodeTime(t);
  assert.equal(el.toString(), '<time xmlns="urn:xmpp:time"><tzo>Z</tzo><utc>2006-12-19T17:58:35.000Z</utc></time>');
  assert.deepEqual(decodeTime(parseElement(el.toString())), t);
});
