// The invites model (invites.md §2–9, §15): creation rules, validation, atomic use; no protocol code, no server needed.
import type { Config } from "../../core/config/index.ts";
import type { ServerEventName, ServerEvents } from "../../core/events.ts";
import type { Logger } from "../../core/logger.ts";
import type { InviteRecord, InviteType, Storage, Stores } from "../../storage/types.ts";
import { prepLocalpart } from "../../xmpp/jid.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import type { RegistrationInvite, RegistrationStep } from "../accounts/api.ts";
import { addMember, type CircleChange } from "../groups/circle.ts";
import {
  InviteError,
  type AccountInviteOptions,
  type CommonOptions,
  type ContactInviteOptions,
  type CreatedInvite,
  type Creator,
  type InviteKind,
  type InvitesApi,
  type InviteTreeNode,
  type ResetInviteOptions,
  type ValidInvite,
} from "./api.ts";
import { kindOf } from "./kinds.ts";
import { landingPageUrl } from "./landing.ts";
import { checkRoles } from "./roles.ts";
import { generateToken, hashToken, idOfHash, isGeneratedShape, isWellFormedToken, looksLikeId } from "./tokens.ts";
import { buildTree } from "./tree.ts";
import { registerUri, rosterUri } from "./uri.ts";

export type Emit = <K extends ServerEventName>(name: K, payload: ServerEvents[K]) => Promise<unknown>;

export interface InvitesModelOptions {
  storage: Storage;
  config: Config;
  /** Unix milliseconds; injectable for expiry tests. */
  now?: () => number;
  /** Server events (invite-created, invite-used, invite-deleted); without it none are sent. */
  emit?: Emit;
  /** Audit log (ids only, never tokens). */
  log?: Logger;
}

/** What a registration step did, for the events and roster pushes after the commit. */
export interface RegistrationOutcome {
  record: InviteRecord;
  username: string;
  circleChanges: CircleChange[];
}

export const ALREADY_USED = "This invitation has already been used";

const DAY_MS = 86_400_000;

export class InvitesModel implements InvitesApi {
  readonly #storage: Storage;
  readonly #config: Config;
  readonly #now: () => number;
  readonly #emit: Emit;
  readonly #log: Logger | undefined;
  /** Filled by registration steps that committed their part; read by the module after `user-registered`. */
  readonly #outcomes = new WeakMap<RegistrationInvite, RegistrationOutcome>();

  constructor(opts: InvitesModelOptions) {
    this.#storage = opts.storage;
    this.#config = opts.config;
    this.#now = opts.now ?? Date.now;
    this.#emit = opts.emit ?? (async () => false);
    this.#log = opts.log;
  }

  // --- creation -------------------------------------------------------------------------------------

  async createAccount(opts: AccountInviteOptions): Promise<CreatedInvite> {
    const { host, creator } = opts;
    if (!creator.isAdmin) throw new InviteError("not-permitted", "Only administrators may create account invites");
    const ttl = this.#ttl(opts, this.#config.invites.expirySeconds);
    const { reusable, maxUses } = this.#uses(opts);
    if (opts.token !== undefined) {
      if (!isGeneratedShape(opts.token)) throw new InviteError("bad-token", "A given token must be 24 base64url characters");
      if ((await this.#storage.invites.get(host, hashToken(opts.token))) !== undefined) {
        throw new InviteError("bad-token", "An invite with this token exists already");
      }
    }
    let boundUsername: string | undefined;
    if (opts.username !== undefined) {
      boundUsername = prepUsername(opts.username);
      if (await this.#storage.accounts.exists(host, boundUsername)) {
        throw new InviteError("bad-username", `The account ${boundUsername}@${host} exists already`);
      }
      if ((await this.#storage.invites.findLiveBound(host, boundUsername, this.#now())) !== undefined) {
        throw new InviteError("bad-username", `The username ${boundUsername} is already reserved by a live invite`);
      }
    }
    const roles = checkRoles(opts.roles ?? [], this.#config.invites.extraRoles, await this.#mayGrantOperator(host, creator));
    const groups = await this.#checkGroups(host, opts.groups ?? []);
    return this.#create(
      {
        host,
        type: "register",
        boundUsername,
        resetUsername: undefined,
        inviter: undefined,
        allowRegistration: true,
        reusable,
        maxUses,
        roles,
        groups,
        note: opts.note,
        createdBy: creator.by,
      },
      ttl,
      creator,
      opts.token,
    );
  }

  async createReset(opts: ResetInviteOptions): Promise<CreatedInvite> {
    const { host, creator } = opts;
    if (!creator.isAdmin) throw new InviteError("not-permitted", "Only administrators may create password reset invites");
    const ttl = this.#ttl(opts, this.#config.invites.resetExpirySeconds);
    const username = prepUsername(opts.username);
    if (!(await this.#storage.accounts.exists(host, username))) {
      throw new InviteError("no-such-account", `No such account: ${username}@${host}`);
    }
    return this.#create(
      {
        host,
        type: "register",
        boundUsername: username,
        resetUsername: username,
        inviter: undefined,
        allowRegistration: true,
        reusable: false,
        maxUses: undefined,
        roles: [],
        groups: [],
        note: opts.note,
        createdBy: creator.by,
      },
      ttl,
      creator,
    );
  }

  async createContact(opts: ContactInviteOptions): Promise<CreatedInvite> {
    const { host, creator } = opts;
    const inviter = prepUsername(opts.inviter);
    if (!creator.isAdmin) {
      const cfg = this.#config.invites;
      if (creator.by !== `${inviter}@${host}`) throw new InviteError("not-permitted", "You may only create contact invites for yourself");
      if (!cfg.allowContactInvites) throw new InviteError("not-permitted", "Contact invites are not enabled for users");
      if (opts.allowRegistration && !cfg.allowUserInvites) {
        throw new InviteError("not-permitted", "You may not create invites that register accounts");
      }
      if (opts.reusable || opts.maxUses !== undefined) throw new InviteError("not-permitted", "Only administrators may create reusable invites");
    }
    const ttl = this.#ttl(opts, this.#config.invites.expirySeconds);
    const { reusable, maxUses } = this.#uses(opts);
    const account = await this.#storage.accounts.get(host, inviter);
    if (account === undefined) throw new InviteError("no-such-account", `No such account: ${inviter}@${host}`);
    // Snikket's limited users: they may add contacts but never bring in new accounts.
    if (opts.allowRegistration && account.role === "restricted" && !creator.isAdmin) {
      throw new InviteError("not-permitted", "Restricted accounts may not create invites that register accounts");
    }
    return this.#create(
      {
        host,
        type: "roster",
        boundUsername: undefined,
        resetUsername: undefined,
        inviter,
        allowRegistration: opts.allowRegistration,
        reusable,
        maxUses,
        roles: [],
        groups: [],
        note: opts.note,
        createdBy: creator.by,
      },
      ttl,
      creator,
    );
  }

  async #create(
    fields: Omit<InviteRecord, "tokenHash" | "id" | "uses" | "createdAt" | "expires" | "revokedAt" | "usedAt" | "usedBy">,
    ttlSeconds: number,
    creator: Creator,
    given?: string,
  ): Promise<CreatedInvite> {
    const now = this.#now();
    if (!creator.isAdmin) await this.#checkQuota(fields.host, fields.createdBy, now);
    const token = given ?? generateToken();
    const tokenHash = hashToken(token);
    const fixed = {
      host: fields.host,
      tokenHash,
      id: idOfHash(tokenHash),
      type: fields.type,
      createdAt: now,
      expires: now + ttlSeconds * 1000,
    };
    const invite: InviteRecord = { ...fields, ...fixed, uses: 0, revokedAt: undefined, usedAt: undefined, usedBy: undefined };
    const event = { invite, token, landingPage: this.landingPageFor(invite, token) };
    await this.#emit("invite-created", event);
    // Handlers may add groups or roles, never change what the token is or how long it lives.
    const stored: InviteRecord = {
      ...event.invite,
      ...fixed,
      roles: [...(event.invite.roles ?? [])],
      groups: [...(event.invite.groups ?? [])],
      uses: 0,
      revokedAt: undefined,
      usedAt: undefined,
      usedBy: undefined,
    };
    if (stored.resetUsername !== undefined) {
      await this.#storage.transaction(async (tx) => {
        await tx.invites.revokeResets(stored.host, stored.resetUsername!, now);
        await tx.invites.insert(stored);
      });
    } else {
      await this.#storage.invites.insert(stored);
    }
    const kind = kindOf(stored);
    this.#log?.info({ host: stored.host, invite: stored.id, kind, by: stored.createdBy, expires: stored.expires }, "invite created");
    return { token, invite: stored, kind, uri: this.uriFor(stored, token), landingPage: event.landingPage };
  }

  #ttl(opts: CommonOptions, fallback: number): number {
    const max = this.#config.invites.maxUserTtlSeconds;
    // A user who asks for nothing gets the default, cut to what users may have.
    const ttl = opts.ttlSeconds ?? (opts.creator.isAdmin ? fallback : Math.min(fallback, max));
    if (!Number.isFinite(ttl) || ttl <= 0) throw new InviteError("bad-ttl", "The lifetime must be more than zero seconds");
    if (!opts.creator.isAdmin && ttl > max) throw new InviteError("bad-ttl", `The lifetime may be at most ${max} seconds`);
    return ttl;
  }

  #uses(opts: { reusable?: boolean; maxUses?: number }): { reusable: boolean; maxUses: number | undefined } {
    const reusable = opts.reusable === true;
    if (opts.maxUses === undefined) return { reusable, maxUses: undefined };
    if (!reusable) throw new InviteError("bad-max-uses", "A maximum number of uses needs a reusable invite");
    if (!Number.isSafeInteger(opts.maxUses) || opts.maxUses < 1) throw new InviteError("bad-max-uses", "The maximum number of uses must be a whole number of at least 1");
    return { reusable, maxUses: opts.maxUses };
  }

  async #checkGroups(host: string, groups: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const id of groups) {
      if (out.includes(id)) continue;
      if ((await this.#storage.groups.get(host, id)) === undefined) throw new InviteError("no-such-group", `No such group: ${id}`);
      out.push(id);
    }
    return out;
  }

  async #checkQuota(host: string, createdBy: string, now: number): Promise<void> {
    const max = this.#config.invites.maxLivePerUser;
    if (max > 0 && (await this.#storage.invites.countLiveCreatedBy(host, createdBy, now)) >= max) {
      throw new InviteError("quota-exceeded", `You may have at most ${max} live invites`);
    }
  }

  /** The command line (the server's operator) may; an account only when its role is operator. */
  async #mayGrantOperator(host: string, creator: Creator): Promise<boolean> {
    if (creator.by === "cli") return true;
    const at = creator.by.lastIndexOf("@");
    if (at <= 0 || creator.by.slice(at + 1) !== host) return false;
    const account = await this.#storage.accounts.get(host, creator.by.slice(0, at));
    return account?.role === "operator";
  }

  // --- validation and use --------------------------------------------------------------------------

  async validate(host: string, token: string): Promise<ValidInvite | undefined> {
    const record = await this.#lookup(host, token);
    if (record === undefined || !record.allowRegistration) return undefined;
    return { token, record, kind: kindOf(record) };
  }

  async validateContact(host: string, inviter: string, token: string): Promise<ValidInvite | undefined> {
    const record = await this.#lookup(host, token);
    if (record === undefined || record.type !== "roster" || record.inviter !== inviter) return undefined;
    return { token, record, kind: kindOf(record) };
  }

  /** A live invite for the token; one answer for malformed, unknown, expired, revoked and used-up tokens. */
  async #lookup(host: string, token: string): Promise<InviteRecord | undefined> {
    if (!isWellFormedToken(token)) return undefined;
    const record = await this.#storage.invites.get(host, hashToken(token));
    return record !== undefined && isLive(record, this.#now()) ? record : undefined;
  }

  forRegistration(valid: ValidInvite, opts: { checkExpiry: boolean }): { invite: RegistrationInvite; step: RegistrationStep } {
    const { record } = valid;
    const invite: RegistrationInvite = {
      id: record.id,
      boundUsername: record.type === "register" ? record.boundUsername : undefined,
      resetUsername: record.type === "register" ? record.resetUsername : undefined,
      inviter: record.type === "roster" ? record.inviter : undefined,
      // Written with the account's row: no statement of its own in the registration's transaction.
      invited: { inviteId: record.id, invitedBy: record.createdBy, at: this.#now() },
    };
    const step: RegistrationStep = async (tx, account) => {
      const use = await tx.invites.consume(record.host, record.tokenHash, `${account.username}@${account.host}`, this.#now(), opts.checkExpiry);
      if (use === undefined) throw new StanzaError("forbidden", ALREADY_USED, "cancel");
      // Only a use changes a stored invite (revocation makes the consume fail), so the rest is as validated.
      const used = { ...record, ...use };
      const circleChanges = used.resetUsername === undefined ? await this.#applyInvite(tx, used, account.username) : [];
      this.#outcomes.set(invite, { record: used, username: account.username, circleChanges });
    };
    return { invite, step };
  }

  /** Roles and groups of a fresh account, inside its transaction (who invited it is on its row already). */
  async #applyInvite(tx: Stores, used: InviteRecord, username: string): Promise<CircleChange[]> {
    const { host } = used;
    const [primary, ...secondary] = used.roles;
    if (primary !== undefined) await tx.accounts.setRole(host, username, primary);
    if (secondary.length > 0) await tx.accounts.setSecondaryRoles(host, username, secondary);
    const changes: CircleChange[] = [];
    for (const id of used.groups) {
      // A group deleted since the invite was made is skipped, not a reason to refuse the registration.
      if ((await tx.groups.get(host, id)) === undefined) {
        this.#log?.warn({ host, invite: used.id, group: id }, "invite names a group that no longer exists");
        continue;
      }
      changes.push(...(await addMember(tx, host, id, username)).rosterChanges);
    }
    return changes;
  }

  /**
   * What the step of this registration did, once its transaction committed (the module reads it in
   * `user-registered` / `user-password-reset`); undefined for an invite this model did not hand out.
   */
  outcomeOf(invite: RegistrationInvite): RegistrationOutcome | undefined {
    return this.#outcomes.get(invite);
  }

  /** Sends `invite-used` (and `invite-deleted` when that use used it up) after a committed registration. */
  async announceUse(invite: RegistrationInvite, via: "ibr" | "web" | "api" | "cli" | "reset"): Promise<void> {
    const outcome = this.#outcomes.get(invite);
    if (outcome === undefined) return;
    this.#outcomes.delete(invite);
    await this.#used(outcome.record, outcome.username, via === "cli" ? "api" : via);
  }

  async #used(record: InviteRecord, username: string, via: ServerEvents["invite-used"]["via"]): Promise<void> {
    this.#log?.info({ host: record.host, invite: record.id, username, via, uses: record.uses }, "invite used");
    await this.#emit("invite-used", { invite: record, username, via });
    if (record.usedAt !== undefined) await this.#emit("invite-deleted", { host: record.host, id: record.id, reason: "consumed" });
  }

  async consumeForSubscription(valid: ValidInvite, subscriber: string): Promise<boolean> {
    const { record } = valid;
    if (record.type !== "roster") return false;
    const use = await this.#storage.invites.consume(record.host, record.tokenHash, subscriber, this.#now(), true);
    if (use === undefined) return false;
    await this.#used({ ...record, ...use }, subscriber, "subscription");
    return true;
  }

  // --- management ----------------------------------------------------------------------------------

  list(host: string, filter: { inviter?: string; createdBy?: string } = {}): Promise<InviteRecord[]> {
    const f: { inviter?: string; createdBy?: string; type?: InviteType } = {};
    if (filter.inviter !== undefined) {
      f.inviter = filter.inviter;
      f.type = "roster";
    }
    if (filter.createdBy !== undefined) f.createdBy = filter.createdBy;
    return this.#storage.invites.listLive(host, this.#now(), f);
  }

  async find(host: string, tokenOrId: string): Promise<InviteRecord | undefined> {
    if (looksLikeId(tokenOrId)) {
      const matches = await this.#storage.invites.findById(host, tokenOrId.toLowerCase());
      if (matches.length === 1) return matches[0];
      if (matches.length > 1) return undefined;
    }
    if (!isWellFormedToken(tokenOrId)) return undefined;
    return this.#storage.invites.get(host, hashToken(tokenOrId));
  }

  async revoke(host: string, tokenOrId: string): Promise<boolean> {
    const record = await this.find(host, tokenOrId);
    if (record === undefined) return false;
    if (!(await this.#storage.invites.revoke(host, record.tokenHash, this.#now()))) return false;
    this.#log?.info({ host, invite: record.id }, "invite revoked");
    await this.#emit("invite-deleted", { host, id: record.id, reason: "revoked" });
    return true;
  }

  /**
   * What goes with a deleted account (invites.md §15.3): its contact-only invites and the reset invites
   * for it. Its roster+ibr invites live on and register accounts without the contact. Returns how many.
   */
  async revokeOwnedBy(host: string, username: string): Promise<number> {
    let n = 0;
    for (const r of await this.#storage.invites.listLive(host, this.#now(), { inviter: username })) {
      if (!r.allowRegistration && (await this.revoke(host, r.id))) n++;
    }
    const resets = await this.#storage.invites.revokeResets(host, username, this.#now());
    if (resets > 0) this.#log?.info({ host, count: resets }, "reset invites of a deleted account revoked");
    return n + resets;
  }

  async tree(host: string): Promise<InviteTreeNode[]> {
    return buildTree(await this.#storage.inviteTracking.list(host));
  }

  async purge(): Promise<number> {
    const now = this.#now();
    const n = await this.#storage.invites.purge(now, now - this.#config.invites.tombstoneDays * DAY_MS);
    if (n > 0) this.#log?.info({ deleted: n }, "expired invites purged");
    return n;
  }

  kindOf(record: InviteRecord): InviteKind {
    return kindOf(record);
  }

  uriFor(record: InviteRecord, token: string): string {
    if (record.type === "roster") return rosterUri(record.host, record.inviter ?? "", token, record.allowRegistration);
    return registerUri(record.host, record.boundUsername, token);
  }

  landingPageFor(record: InviteRecord, token: string): string | undefined {
    return landingPageUrl(this.#config, record.host, token, { kind: this.kindOf(record), uri: this.uriFor(record, token) });
  }
}

/** Live: not revoked, not used up, and `now < expires` (at `now == expires` it is expired, everywhere). */
export function isLive(record: InviteRecord, now: number): boolean {
  if (record.revokedAt !== undefined || record.usedAt !== undefined) return false;
  if (now >= record.expires) return false;
  return !(record.maxUses !== undefined && record.uses >= record.maxUses);
}

function prepUsername(input: string): string {
  try {
    return prepLocalpart(input);
  } catch {
    throw new InviteError("bad-username", `Not a valid username: ${JSON.stringify(input)}`);
  }
}
