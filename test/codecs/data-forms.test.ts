import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  type DataForm,
  decodeForm,
  encodeForm,
  findForm,
  FormError,
  formTypeField,
  formTypeOf,
  readBoolean,
  readInteger,
  readJid,
  readJids,
  readList,
  readText,
  readTextMulti,
  validateSubmission,
} from "../../src/codecs/data-forms.ts";
import { parseOne } from "../helpers/match.ts";

const XD = "jabber:x:data";

function form(xml: string): DataForm {
  return decodeForm(parseOne(xml));
}

function submit(fields: Record<string, string[]>): DataForm {
  return { type: "submit", fields: Object.entries(fields).map(([v, values]) => ({ var: v, values })) };
}

describe("decode", () => {
  test("the XEP-0004 example form: title, instructions, typed fields, options, desc, required", () => {
    const f = form(`<x xmlns='${XD}' type='form'>
      <title>Bot Configuration</title>
      <instructions>Fill out this form to configure your new bot!</instructions>
      <instructions>Second line.</instructions>
      <field type='hidden' var='FORM_TYPE'><value>jabber:bot</value></field>
      <field type='fixed'><value>Section 1: Bot Info</value></field>
      <field type='text-single' var='botname' label='The name of your bot'><desc>Pick one</desc><required/></field>
      <field type='list-multi' label='What features will the bot support?' var='features'>
        <option label='Contests'><value>contests</value></option>
        <option label='News'><value>news</value></option>
        <value>news</value>
      </field>
      <field var='untyped'><value>v</value></field>
    </x>`);
    assert.equal(f.type, "form");
    assert.equal(f.title, "Bot Configuration");
    assert.deepEqual(f.instructions, ["Fill out this form to configure your new bot!", "Second line."]);
    assert.equal(formTypeOf(f), "jabber:bot");
    assert.deepEqual(f.fields[1], { type: "fixed", values: ["Section 1: Bot Info"] });
    assert.deepEqual(f.fields[2], { var: "botname", type: "text-single", label: "The name of your bot", desc: "Pick one", required: true, values: [] });
    assert.deepEqual(f.fields[3]!.options, [
      { value: "contests", label: "Contests" },
      { value: "news", label: "News" },
    ]);
    assert.deepEqual(f.fields[3]!.values, ["news"]);
    assert.equal(f.fields[4]!.type, undefined, "no type on the wire stays undefined (text-single by default)");
  });

  test("bad forms are refused with a FormError that names the field", () => {
    assert.throws(() => form(`<x xmlns='${XD}' type='bogus'/>`), (e: unknown) => e instanceof FormError && /bogus/.test(e.message));
    assert.throws(() => form(`<x xmlns='${XD}'/>`), FormError);
    assert.throws(() => form(`<x xmlns='${XD}' type='submit'><field type='weird' var='a'/></x>`), (e: unknown) => e instanceof FormError && e.field === "a");
    assert.throws(() => form(`<x xmlns='${XD}' type='submit'><field type='text-single'/></x>`), /needs a var/);
    assert.throws(
      () => form(`<x xmlns='${XD}' type='submit'><field var='a'/><field var='a'/></x>`),
      (e: unknown) => e instanceof FormError && e.field === "a" && /twice/.test(e.message),
    );
    assert.throws(() => form(`<x xmlns='${XD}' type='form'><field var='l' type='list-single'><option/></field></x>`), (e: unknown) => e instanceof FormError && e.field === "l");
    assert.throws(() => decodeForm(parseOne(`<x xmlns='urn:other' type='form'/>`)), /Not a data form/);
  });

  test("findForm picks the jabber:x:data child", () => {
    const cmd = parseOne(`<command xmlns='http://jabber.org/protocol/commands'><note>n</note><x xmlns='${XD}' type='submit'/></command>`);
    assert.equal(findForm(cmd)?.attrs.type, "submit");
    assert.equal(findForm(parseOne(`<command xmlns='http://jabber.org/protocol/commands'/>`)), undefined);
  });
});

describe("encode", () => {
  test("round trip keeps every part, and the serialised form reads like the XEP", () => {
    const f: DataForm = {
      type: "result",
      title: "Your invite has been created",
      instructions: ["Share it"],
      fields: [
        formTypeField("urn:xmpp:invite#invitation"),
        { var: "landing-url", type: "text-single", label: "Invite web page", desc: "Share this link", values: [] },
        { var: "roles", type: "list-multi", label: "Roles", values: ["user"], options: [{ value: "user", label: "User" }, { value: "admin" }] },
        { var: "ok", type: "boolean", required: true, values: ["1"] },
      ],
    };
    const el = encodeForm(f);
    assert.equal(
      el.toString(),
      `<x xmlns="${XD}" type="result"><title>Your invite has been created</title><instructions>Share it</instructions>` +
        `<field var="FORM_TYPE" type="hidden"><value>urn:xmpp:invite#invitation</value></field>` +
        `<field var="landing-url" type="text-single" label="Invite web page"><desc>Share this link</desc></field>` +
        `<field var="roles" type="list-multi" label="Roles"><value>user</value><option label="User"><value>user</value></option><option><value>admin</value></option></field>` +
        `<field var="ok" type="boolean"><required/><value>1</value></field></x>`,
    );
    assert.deepEqual(decodeForm(parseOne(el.toString())), f);
  });
});

describe("typed readers", () => {
  test("booleans: 1/true and 0/false; anything else names the field", () => {
    const f = submit({ a: ["1"], b: ["true"], c: ["0"], d: ["false"], e: ["yes"], g: [] });
    assert.equal(readBoolean(f, "a"), true);
    assert.equal(readBoolean(f, "b"), true);
    assert.equal(readBoolean(f, "c"), false);
    assert.equal(readBoolean(f, "d"), false);
    assert.equal(readBoolean(f, "g"), undefined);
    assert.equal(readBoolean(f, "missing"), undefined);
    assert.throws(() => readBoolean(f, "e"), (e: unknown) => e instanceof FormError && e.field === "e" && e.message.includes("'yes'"));
  });

  test("jid-single is parsed and prepared; a bad JID names the field", () => {
    const f = submit({ j: ["Alice@Example.COM"], bad: ["@nope"], two: ["a@b", "c@d"], m: ["a@b", "c@d/r"] });
    assert.equal(readJid(f, "j")?.toString(), "alice@example.com");
    assert.throws(() => readJid(f, "bad"), (e: unknown) => e instanceof FormError && e.field === "bad");
    assert.throws(() => readJid(f, "two"), /takes one value/);
    assert.deepEqual(readJids(f, "m").map(String), ["a@b", "c@d/r"]);
  });

  test("text, text-multi, lists and integers", () => {
    const f = submit({ t: ["hello"], empty: [""], tm: ["line 1", "line 2"], l: ["a", "", "b"], n: ["42"], neg: ["-1"], big: ["1000"] });
    assert.equal(readText(f, "t"), "hello");
    assert.equal(readText(f, "empty"), undefined);
    assert.equal(readTextMulti(f, "tm"), "line 1\nline 2");
    assert.equal(readTextMulti(f, "missing"), undefined);
    assert.deepEqual(readList(f, "l"), ["a", "b"]);
    assert.deepEqual(readList(f, "missing"), []);
    assert.equal(readInteger(f, "n", 1, 100), 42);
    assert.throws(() => readInteger(f, "neg"), (e: unknown) => e instanceof FormError && e.field === "neg");
    assert.throws(() => readInteger(f, "big", 1, 100), /between 1 and 100/);
  });
});

describe("validateSubmission", () => {
  const definition: DataForm = {
    type: "form",
    fields: [
      formTypeField("urn:example"),
      { type: "fixed", values: ["Some text"] },
      { var: "accountjid", type: "jid-single", required: true, values: [] },
      { var: "flag", type: "boolean", values: [] },
      { var: "colour", type: "list-single", values: [], options: [{ value: "red" }, { value: "blue" }] },
      { var: "tags", type: "list-multi", values: [], options: [{ value: "x" }, { value: "y" }] },
      { var: "free", type: "text-multi", values: [] },
    ],
  };

  test("a good submission comes back typed from the definition, unknown fields dropped", () => {
    const got = validateSubmission(
      definition,
      submit({ FORM_TYPE: ["urn:example"], accountjid: ["a@example.com"], flag: ["true"], colour: ["red"], tags: ["x", "y"], free: ["1", "2"], extra: ["?"] }),
    );
    assert.deepEqual(
      got.fields.map((f) => [f.var, f.type]),
      [
        ["FORM_TYPE", "hidden"],
        ["accountjid", "jid-single"],
        ["flag", "boolean"],
        ["colour", "list-single"],
        ["tags", "list-multi"],
        ["free", "text-multi"],
      ],
    );
    assert.equal(readJid(got, "accountjid")?.toString(), "a@example.com");
  });

  test("each problem names its field", () => {
    const cases: [Record<string, string[]>, string, RegExp][] = [
      [{}, "accountjid", /required/],
      [{ accountjid: [""] }, "accountjid", /required/],
      [{ accountjid: ["not a jid@"] }, "accountjid", /not a valid JID/],
      [{ accountjid: ["a@b"], flag: ["maybe"] }, "flag", /not a boolean/],
      [{ accountjid: ["a@b"], colour: ["green"] }, "colour", /not one of the options/],
      [{ accountjid: ["a@b"], colour: ["red", "blue"] }, "colour", /one value/],
      [{ accountjid: ["a@b"], tags: ["x", "z"] }, "tags", /not one of the options/],
      [{ accountjid: ["a@b"], FORM_TYPE: ["urn:other"] }, "FORM_TYPE", /urn:other/],
    ];
    for (const [fields, name, re] of cases) {
      assert.throws(
        () => validateSubmission(definition, submit(fields)),
        (e: unknown) => e instanceof FormError && e.field === name && re.test(e.message) && e.message.startsWith(`Field '${name}'`),
        JSON.stringify(fields),
      );
    }
  });

  test("only a submit form is a submission", () => {
    assert.throws(() => validateSubmission(definition, { type: "result", fields: [] }), /submitted form/);
  });
});
