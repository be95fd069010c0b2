// XEP-0077 semantics for every registration path (invites.md §7.3): checks, veto hooks, one transaction, events after commit.
import { deriveCredentials } from "../../auth/credentials.ts";
import type { Config } from "../../core/config/index.ts";
import type { ServerEventName, ServerEvents, UserRegistering } from "../../core/events.ts";
import type { Logger } from "../../core/logger.ts";
import type { Storage } from "../../storage/types.ts";
import { prepLocalpart } from "../../xmpp/jid.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import type { AccountsApi, RegistrationRequest, RegistrationResult } from "./api.ts";
import { passwordProblem } from "./password-policy.ts";

export type Emit = <K extends ServerEventName>(name: K, payload: ServerEvents[K]) => Promise<unknown>;

export const BAD_USERNAME = "The requested username is invalid.";
export const USERNAME_TAKEN = "The requested username already exists.";
export const WRONG_RESET_USERNAME = "Incorrect username for password reset";
export const STORAGE_FAILED = "Failed to write data to disk.";

/** The role of an account made by registration; an invite's roles replace it inside the same transaction. */
export const DEFAULT_ROLE = "user";

export interface RegistrarOptions {
  storage: Storage;
  config: Config;
  emit?: Emit;
  log?: Logger;
  /** PBKDF2 iterations for new SCRAM keys (tests may lower it). */
  iterations?: number;
}

function fail(condition: "not-acceptable" | "conflict" | "item-not-found", text: string): RegistrationResult {
  return { ok: false, error: new StanzaError(condition, text) };
}

const storageFailure = (): RegistrationResult => ({ ok: false, error: new StanzaError("internal-server-error", STORAGE_FAILED, "wait") });

export class Registrar implements AccountsApi {
  readonly #storage: Storage;
  readonly #config: Config;
  readonly #emit: Emit;
  readonly #log: Logger | undefined;
  readonly #iterations: number | undefined;

  constructor(opts: RegistrarOptions) {
    this.#storage = opts.storage;
    this.#config = opts.config;
    this.#emit = opts.emit ?? (async () => false);
    this.#log = opts.log;
    this.#iterations = opts.iterations;
  }

  passwordProblem(password: string, username: string): string | undefined {
    const r = this.#config.registration;
    return passwordProblem({ minLength: r.minPasswordLength, excludeUsername: r.passwordExcludeUsername }, password, username);
  }

  async register(req: RegistrationRequest): Promise<RegistrationResult> {
    let username: string;
    try {
      username = prepLocalpart(req.username);
    } catch {
      return fail("not-acceptable", BAD_USERNAME);
    }
    const { host, invite } = req;
    const problem = this.passwordProblem(req.password, username);
    if (problem !== undefined) return fail("not-acceptable", problem);

    // A reset invite resets exactly its account; never does it create one (0.12 let it, invites.md §7.4).
    const resetFor = invite?.resetUsername;
    const reset = resetFor !== undefined;
    if (reset && resetFor !== username) return fail("not-acceptable", WRONG_RESET_USERNAME);

    let exists: boolean;
    const event: UserRegistering = { host, username, ip: req.ip, via: req.via, invite, exists: false, veto: undefined };
    try {
      exists = await this.#storage.accounts.exists(host, username);
      event.exists = exists;
      await this.#emit("user-registering", event);
    } catch (err) {
      this.#log?.error({ err, host, username }, "registration checks failed");
      return storageFailure();
    }
    if (event.veto !== undefined) return { ok: false, error: event.veto };
    // Checked again in the transaction; refusing here saves deriving keys for nothing.
    if (reset && !exists) return fail("not-acceptable", WRONG_RESET_USERNAME);
    if (!reset && exists) return fail("conflict", USERNAME_TAKEN);

    const credentials = await deriveCredentials(req.password, this.#iterations);
    try {
      await this.#storage.transaction(async (tx) => {
        if (reset) {
          if (!(await tx.accounts.setCredentials(host, username, credentials))) {
            throw new StanzaError("not-acceptable", WRONG_RESET_USERNAME);
          }
        } else if (!(await tx.accounts.create(host, username, credentials, DEFAULT_ROLE, invite?.invited))) {
          throw new StanzaError("conflict", USERNAME_TAKEN);
        }
        if (req.step) await req.step(tx, { host, username });
      });
    } catch (err) {
      if (err instanceof StanzaError) return { ok: false, error: err };
      this.#log?.error({ err, host, username }, "registration could not be stored");
      return storageFailure();
    }

    this.#log?.info({ host, username, via: req.via, invite: invite?.id, reset }, reset ? "password reset" : "account registered");
    if (invite !== undefined && reset) {
      await this.#announce("user-password-changed", { host, username });
      await this.#announce("user-password-reset", { host, username, via: req.via, invite });
    } else {
      await this.#announce("user-created", { host, username });
      await this.#announce("user-registered", { host, username, via: req.via, ip: req.ip, invite });
    }
    return { ok: true, username, host, reset };
  }

  async changePassword(host: string, username: string, password: string): Promise<RegistrationResult> {
    let user: string;
    try {
      user = prepLocalpart(username);
    } catch {
      return fail("not-acceptable", BAD_USERNAME);
    }
    const problem = this.passwordProblem(password, user);
    if (problem !== undefined) return fail("not-acceptable", problem);
    const credentials = await deriveCredentials(password, this.#iterations);
    let changed: boolean;
    try {
      changed = await this.#storage.accounts.setCredentials(host, user, credentials);
    } catch (err) {
      this.#log?.error({ err, host, username: user }, "password change could not be stored");
      return storageFailure();
    }
    if (!changed) return fail("item-not-found", "No such account");
    this.#log?.info({ host, username: user }, "password changed");
    await this.#announce("user-password-changed", { host, username: user });
    return { ok: true, username: user, host, reset: false };
  }

  async deleteAccount(host: string, username: string): Promise<boolean> {
    if (!(await this.#storage.accounts.delete(host, username))) return false;
    this.#log?.info({ host, username }, "account deleted");
    await this.#announce("user-deleted", { host, username });
    return true;
  }

  /** After a commit the change stands: a failing handler is logged, not reported as a failed registration. */
  async #announce<K extends ServerEventName>(name: K, payload: ServerEvents[K]): Promise<void> {
    try {
      await this.#emit(name, payload);
    } catch (err) {
      this.#log?.error({ err, event: name }, "event handler failed after commit");
    }
  }
}
