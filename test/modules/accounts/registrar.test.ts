// The registrar (invites.md §7.3): order of checks, one transaction, nothing kept on failure, events after commit.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { verifyPassword } from "../../../src/auth/credentials.ts";
import { defaultConfig, type Config } from "../../../src/core/config/index.ts";
import { EventBus } from "../../../src/core/event-bus.ts";
import type { ServerEvents, UserRegistering } from "../../../src/core/events.ts";
import type { RegistrationRequest, RegistrationResult } from "../../../src/modules/accounts/api.ts";
import { Registrar, STORAGE_FAILED } from "../../../src/modules/accounts/registrar.ts";
import { openSqliteStorage } from "../../../src/storage/sqlite.ts";
import type { Storage } from "../../../src/storage/types.ts";
import { StanzaError } from "../../../src/xmpp/stanza-error.ts";

const HOST = "example.com";
const PASSWORD = "correct horse battery";

interface Setup {
  storage: Storage;
  events: EventBus<ServerEvents>;
  registrar: Registrar;
  seen: (keyof ServerEvents)[];
  register(username: string, extra?: Partial<RegistrationRequest>): Promise<RegistrationResult>;
}

async function setup(configure?: (c: Config) => void, storage?: Storage): Promise<Setup> {
  const config = defaultConfig();
  configure?.(config);
  const s = storage ?? (await openSqliteStorage(":memory:"));
  const events = new EventBus<ServerEvents>();
  const seen: (keyof ServerEvents)[] = [];
  const registrar = new Registrar({
    storage: s,
    config,
    emit: (name, payload) => {
      seen.push(name);
      return events.emit(name, payload);
    },
  });
  return {
    storage: s,
    events,
    registrar,
    seen,
    register: (username, extra = {}) => registrar.register({ host: HOST, username, password: PASSWORD, ip: "192.0.2.7", via: "ibr", ...extra }),
  };
}

function refused(r: RegistrationResult, type: string, condition: string, text?: string): void {
  assert.equal(r.ok, false, "expected a refusal");
  if (r.ok) return;
  assert.equal(r.error.type, type);
  assert.equal(r.error.condition, condition);
  if (text !== undefined) assert.equal(r.error.text, text);
}

async function usernames(storage: Storage): Promise<string[]> {
  return (await storage.accounts.list(HOST)).map((a) => a.username).sort();
}

describe("checks", () => {
  test("a new account: prepared username, role user, SCRAM keys for the password, events after commit", async () => {
    const s = await setup();
    const registering: UserRegistering[] = [];
    s.events.on("user-registering", (e) => void registering.push({ ...e }));
    const r = await s.register("Juliet");
    assert.deepEqual(r, { ok: true, username: "juliet", host: HOST, reset: false });
    const account = await s.storage.accounts.get(HOST, "juliet");
    assert.equal(account?.role, "user");
    assert.equal(await verifyPassword(account!.credentials, PASSWORD), true);
    assert.deepEqual(s.seen, ["user-registering", "user-created", "user-registered"]);
    assert.deepEqual(registering, [{ host: HOST, username: "juliet", ip: "192.0.2.7", via: "ibr", invite: undefined, exists: false, veto: undefined }]);
    await s.storage.close();
  });

  test("username first, then the password policy, then the hooks", async () => {
    const s = await setup();
    s.events.on("user-registering", (e) => void (e.veto = new StanzaError("not-allowed", "vetoed")));
    refused(await s.register("a b", { password: "x" }), "modify", "not-acceptable", "The requested username is invalid.");
    refused(await s.register("", { password: "x" }), "modify", "not-acceptable", "The requested username is invalid.");
    refused(await s.register("juliet", { password: "x" }), "modify", "not-acceptable", "Password is too short (minimum 8 characters)");
    refused(await s.register("juliet"), "cancel", "not-allowed", "vetoed");
    assert.deepEqual(s.seen, ["user-registering"]);
    assert.deepEqual(await usernames(s.storage), []);
    await s.storage.close();
  });

  test("the hooks learn whether the account exists; a taken name is a conflict", async () => {
    const s = await setup();
    const exists: boolean[] = [];
    s.events.on("user-registering", (e) => void exists.push(e.exists));
    assert.equal((await s.register("juliet")).ok, true);
    refused(await s.register("JULIET", { password: "some other password" }), "cancel", "conflict", "The requested username already exists.");
    assert.deepEqual(exists, [false, true]);
    await s.storage.close();
  });

  test("many registrations of one name at once: one account, the rest conflict", async () => {
    const s = await setup();
    const results = await Promise.all(Array.from({ length: 6 }, () => s.register("juliet")));
    assert.equal(results.filter((r) => r.ok).length, 1);
    for (const r of results.filter((r) => !r.ok)) refused(r, "cancel", "conflict");
    assert.deepEqual(s.seen.filter((n) => n === "user-created").length, 1);
    await s.storage.close();
  });

  test("a reset invite never creates an account, whatever the hooks say", async () => {
    const s = await setup();
    const invited = { inviteId: "0123456789abcdef", invitedBy: "cli", at: 1 };
    const invite = { id: "0123456789abcdef", boundUsername: "alice", resetUsername: "alice", inviter: undefined, invited };
    refused(await s.register("alice", { invite }), "modify", "not-acceptable", "Incorrect username for password reset");
    refused(await s.register("bob", { invite }), "modify", "not-acceptable", "Incorrect username for password reset");
    assert.deepEqual(await usernames(s.storage), []);
    await s.storage.close();
  });
});

describe("the transaction", () => {
  test("the step runs in the account's transaction and sees the new account", async () => {
    const s = await setup();
    const r = await s.register("juliet", {
      step: async (tx, account) => {
        assert.deepEqual(account, { host: HOST, username: "juliet" });
        assert.equal(await tx.accounts.exists(HOST, "juliet"), true);
        await tx.vcards.set(HOST, "juliet", "<vCard xmlns='vcard-temp'/>");
      },
    });
    assert.equal(r.ok, true);
    assert.equal(await s.storage.vcards.get(HOST, "juliet"), "<vCard xmlns='vcard-temp'/>");
    await s.storage.close();
  });

  test("a step throwing a plain error: wait/internal-server-error, nothing kept, no events", async () => {
    const s = await setup();
    const r = await s.register("juliet", {
      step: async (tx) => {
        await tx.vcards.set(HOST, "juliet", "<vCard xmlns='vcard-temp'/>");
        throw new Error("disk on fire");
      },
    });
    refused(r, "wait", "internal-server-error", STORAGE_FAILED);
    assert.deepEqual(await usernames(s.storage), []);
    assert.equal(await s.storage.vcards.get(HOST, "juliet"), undefined);
    assert.deepEqual(s.seen, ["user-registering"]);
    await s.storage.close();
  });

  test("a StanzaError from the step passes through unchanged, nothing kept", async () => {
    const s = await setup();
    const err = new StanzaError("forbidden", "This invitation has already been used", "cancel");
    const r = await s.register("juliet", {
      step: async () => {
        throw err;
      },
    });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error, err);
    assert.deepEqual(await usernames(s.storage), []);
    await s.storage.close();
  });

  test("a closed storage: wait/internal-server-error", async () => {
    const storage = await openSqliteStorage(":memory:");
    await storage.close();
    const s = await setup(undefined, storage);
    refused(await s.register("juliet"), "wait", "internal-server-error", STORAGE_FAILED);
  });

  test("storage failing inside the transaction: wait/internal-server-error, nothing kept", async () => {
    const storage = await openSqliteStorage(":memory:");
    // A storage whose transactions break after the account row is written.
    const broken: Storage = {
      ...storage,
      transaction: (fn) =>
        storage.transaction(async (tx) => {
          const result = await fn({ ...tx, accounts: { ...tx.accounts, create: async (...a) => (await tx.accounts.create(...a)) && Promise.reject(new Error("I/O error")) } });
          return result;
        }),
    };
    const s = await setup(undefined, broken);
    refused(await s.register("juliet"), "wait", "internal-server-error", STORAGE_FAILED);
    assert.deepEqual(await usernames(storage), []);
    await storage.close();
  });

  test("a failing event handler after the commit does not undo the registration", async () => {
    const s = await setup();
    s.events.on("user-registered", () => {
      throw new Error("handler bug");
    });
    const r = await s.register("juliet");
    assert.equal(r.ok, true);
    assert.deepEqual(await usernames(s.storage), ["juliet"]);
    await s.storage.close();
  });

  test("a throwing user-registering handler: internal-server-error, no account", async () => {
    const s = await setup();
    s.events.on("user-registering", () => {
      throw new Error("lookup failed");
    });
    refused(await s.register("juliet"), "wait", "internal-server-error");
    assert.deepEqual(await usernames(s.storage), []);
    await s.storage.close();
  });
});

describe("password change and deletion", () => {
  test("changePassword applies the policy and fires user-password-changed", async () => {
    const s = await setup();
    await s.register("juliet");
    refused(await s.registrar.changePassword(HOST, "juliet", "short"), "modify", "not-acceptable");
    refused(await s.registrar.changePassword(HOST, "juliet", "my name is juliet"), "modify", "not-acceptable", "Password must not include your username");
    refused(await s.registrar.changePassword(HOST, "nobody", "a fine password"), "cancel", "item-not-found");
    const r = await s.registrar.changePassword(HOST, "juliet", "a fine password");
    assert.deepEqual(r, { ok: true, username: "juliet", host: HOST, reset: false });
    assert.equal(await verifyPassword((await s.storage.accounts.get(HOST, "juliet"))!.credentials, "a fine password"), true);
    assert.equal(s.seen.at(-1), "user-password-changed");
    await s.storage.close();
  });

  test("deleteAccount removes the account and fires user-deleted", async () => {
    const s = await setup();
    await s.register("juliet");
    assert.equal(await s.registrar.deleteAccount(HOST, "juliet"), true);
    assert.equal(s.seen.at(-1), "user-deleted");
    assert.equal(await s.registrar.deleteAccount(HOST, "juliet"), false);
    assert.equal(s.seen.filter((n) => n === "user-deleted").length, 1);
    assert.deepEqual(await usernames(s.storage), []);
    await s.storage.close();
  });
});
