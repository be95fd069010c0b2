// Invites (invites.md §2–9, §15): the model as the module's API, the registration rules, and what follows a registration.
import type { UserRegistering } from "../../core/events.ts";
import { defineModule, type ModuleContext } from "../../core/module.ts";
import type { RosterItem } from "../../storage/types.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import type { GroupsApi } from "../groups/api.ts";
import type { RosterApi } from "../roster/api.ts";
import type { InvitesApi } from "./api.ts";
import { InvitesModel } from "./model.ts";

export type { InvitesApi } from "./api.ts";
export { InvitesModel } from "./model.ts";

export const INVITATION_ONLY = "Registration on this server is through invitation only";
export const WRONG_USERNAME = "The chosen username is not valid with this invitation";
export const WRONG_RESET_USERNAME = "Incorrect username for password reset";
export const RESERVED = "The requested username is reserved by an invitation";

/** Mutual subscription without a name (XEP-0379: the invitee's claimed name is not trusted); groups kept. */
function mutual(jid: string) {
  return (current: Readonly<RosterItem> | undefined): RosterItem | Readonly<RosterItem> => {
    if (current?.subscription === "both" && !current.ask && !current.approved) return current;
    const item: RosterItem = { jid, subscription: "both", ask: false, approved: false, groups: current ? [...current.groups] : [] };
    if (current?.name !== undefined) item.name = current.name;
    return item;
  };
}

export function registrationRules(ctx: Pick<ModuleContext, "config" | "storage">, now: () => number = Date.now) {
  const { config, storage } = ctx;
  return async (e: UserRegistering): Promise<boolean> => {
    if (e.veto !== undefined) return true;
    const invite = e.invite;
    if (invite === undefined) {
      const open = config.registration.allowRegistration && !config.registration.inviteOnly;
      if (!open && e.via !== "cli") {
        e.veto = new StanzaError("not-acceptable", INVITATION_ONLY, "modify");
        return true;
      }
    } else if (invite.resetUsername !== undefined) {
      if (e.username !== invite.resetUsername || !e.exists) {
        e.veto = new StanzaError("not-acceptable", WRONG_RESET_USERNAME, "modify");
        return true;
      }
      return false;
    } else if (invite.boundUsername !== undefined && e.username !== invite.boundUsername) {
      e.veto = new StanzaError("not-acceptable", WRONG_USERNAME, "modify");
      return true;
    }
    // XEP-0445: a username bound to a live invite is reserved for that invite until it dies.
    if (!e.exists) {
      const bound = await storage.invites.findLiveBound(e.host, e.username, now());
      if (bound !== undefined && bound.id !== invite?.id) {
        e.veto = new StanzaError("conflict", RESERVED, "cancel");
        return true;
      }
    }
    return false;
  };
}

export default defineModule<InvitesApi>({
  name: "invites",
  depends: ["accounts", "roster", "groups"],
  setup(ctx) {
    const { storage, config, log } = ctx;
    const roster = ctx.use<RosterApi>("roster");
    const groups = ctx.use<GroupsApi>("groups");
    const model = new InvitesModel({ storage, config, emit: (name, payload) => ctx.events.emit(name, payload), log });

    /** After a commit the registration stands: problems here are logged, not thrown at the registrar. */
    const guarded = (what: string, fn: () => Promise<unknown>) =>
      fn().catch((err: unknown) => log.error({ err }, `invites: ${what} failed`));

    const befriend = async (host: string, inviter: string, username: string, invitedAt: number | undefined): Promise<void> => {
      if (inviter === username) return;
      // An inviter deleted in the meantime (or deleted and made anew since the invite): the account
      // stays, without contacts (invites.md §15.3).
      const account = await storage.accounts.get(host, inviter);
      if (account === undefined || (invitedAt !== undefined && account.createdAt > invitedAt)) return;
      const inviterJid = `${inviter}@${host}`;
      const userJid = `${username}@${host}`;
      await roster.updateItem(host, inviter, userJid, mutual(userJid));
      await roster.updateItem(host, username, inviterJid, mutual(inviterJid));
      await roster.removePendingIn(host, inviter, userJid);
      await roster.removePendingIn(host, username, inviterJid);
    };

    const timer = setInterval(() => void guarded("purge", async () => void (await model.purge())), config.invites.purgeIntervalSeconds * 1000);
    timer.unref();

    return {
      api: model,
      hooks: {
        "user-registering": registrationRules(ctx),
        "user-registered": ({ host, username, via, invite }) =>
          invite &&
          guarded("after registration", async () => {
            const outcome = model.outcomeOf(invite);
            await model.announceUse(invite, via);
            if (outcome !== undefined && outcome.circleChanges.length > 0) await groups.announce(host, outcome.circleChanges);
            if (invite.inviter !== undefined) await befriend(host, invite.inviter, username, outcome?.record.createdAt);
          }),
        "user-password-reset": ({ invite }) => guarded("after password reset", () => model.announceUse(invite, "reset")),
        // The account's contact-only invites die with it. Its roster+ibr invites still register
        // accounts, without the contact (invites.md §15.3).
        "user-deleted": ({ host, username }) =>
          guarded("revoking the invites of a deleted account", () => model.revokeOwnedBy(host, username)),
      },
      stop() {
        clearInterval(timer);
      },
    };
  },
});
