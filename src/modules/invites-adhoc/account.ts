// XEP-0401 0.6.0 §4.4 "Create new account invite" (urn:xmpp:invite#create-account): an optional form, then the invite.
import {
  type DataForm,
  FormError,
  readBoolean,
  readInteger,
  readList,
  readText,
  validateSubmission,
} from "../../codecs/data-forms.ts";
import { parseDuration } from "../../core/duration.ts";
import type { CommandOutcome, CommandSpec, Requester } from "../adhoc/api.ts";
import type { CreatedInvite } from "../invites/api.ts";
import { type CommandDeps, creatorOf } from "./deps.ts";
import { invitationForm, inviteErrorToStanza } from "./result.ts";

export const ACCOUNT_NODE = "urn:xmpp:invite#create-account";

export const ACCOUNT_FORM: DataForm = {
  type: "form",
  title: "Create an account invite",
  instructions: ["Every field is optional."],
  fields: [
    { var: "username", type: "text-single", label: "Username", desc: "Leave empty to let the invitee choose", values: [] },
    {
      var: "roster-subscription",
      type: "boolean",
      label: "Roster subscription",
      desc: "The new user and you become contacts (cannot be combined with a username, roles or groups)",
      values: ["0"],
    },
    { var: "roles", type: "text-multi", label: "Roles", desc: "One per line, the primary role first (default: user)", values: [] },
    { var: "groups", type: "text-multi", label: "Groups", desc: "Group ids, one per line", values: [] },
    { var: "ttl", type: "text-single", label: "Valid for", desc: "A duration such as 12h, 2d or 1w; empty for the default", values: [] },
    { var: "reusable", type: "boolean", label: "Reusable", desc: "May register more than one account until it expires", values: ["0"] },
    { var: "max-uses", type: "text-single", label: "Maximum uses", desc: "Only with reusable; empty for no limit", values: [] },
    { var: "note", type: "text-single", label: "Note", desc: "A comment for the invite list", values: [] },
  ],
};

interface AccountRequest {
  username: string | undefined;
  rosterSubscription: boolean;
  roles: string[];
  groups: string[];
  ttlSeconds: number | undefined;
  reusable: boolean;
  maxUses: number | undefined;
  note: string | undefined;
}

function readRequest(form: DataForm | undefined): AccountRequest {
  const f = form ? validateSubmission(ACCOUNT_FORM, form) : { type: "submit" as const, fields: [] };
  const ttl = readText(f, "ttl");
  let ttlSeconds: number | undefined;
  if (ttl !== undefined) {
    try {
      ttlSeconds = parseDuration(ttl);
    } catch (e) {
      throw new FormError((e as Error).message, "ttl");
    }
    if (ttlSeconds <= 0) throw new FormError("must be longer than zero", "ttl");
  }
  return {
    username: readText(f, "username")?.trim() || undefined,
    rosterSubscription: readBoolean(f, "roster-subscription") ?? false,
    roles: readList(f, "roles").map((r) => r.trim()).filter((r) => r !== ""),
    groups: readList(f, "groups").map((g) => g.trim()).filter((g) => g !== ""),
    ttlSeconds,
    reusable: readBoolean(f, "reusable") ?? false,
    maxUses: readInteger(f, "max-uses", 1, 1_000_000),
    note: readText(f, "note")?.trim() || undefined,
  };
}

async function create({ invites }: CommandDeps, requester: Requester, req: AccountRequest): Promise<CreatedInvite> {
  const common = {
    host: requester.host,
    creator: creatorOf(requester),
    ttlSeconds: req.ttlSeconds,
    note: req.note,
    reusable: req.reusable,
    maxUses: req.maxUses,
  };
  if (req.rosterSubscription) {
    // A contact invite that may register (ibr=y) makes the invitee and the admin mutual contacts on
    // registration; contact invites carry no username, roles or groups.
    return invites.createContact({ ...common, inviter: requester.jid.local!, allowRegistration: true });
  }
  return invites.createAccount({ ...common, username: req.username, roles: req.roles.length > 0 ? req.roles : undefined, groups: req.groups });
}

export function accountInviteCommand(deps: CommandDeps): CommandSpec {
  return {
    node: ACCOUNT_NODE,
    name: "Create new account invite",
    allowed: (_jid, isAdmin) => isAdmin,
    async handler({ requester, action, form, stage }): Promise<CommandOutcome> {
      // Prosody's clients send action='complete' straight away and get an invite with the defaults.
      if (stage === 0 && form === undefined && action !== "complete") {
        return { status: "executing", form: ACCOUNT_FORM, actions: ["complete"] };
      }
      let req: AccountRequest;
      try {
        req = readRequest(form);
      } catch (e) {
        if (!(e instanceof FormError)) throw e;
        return { status: "completed", notes: [{ type: "error", text: e.message }] };
      }
      if (req.rosterSubscription && (req.username !== undefined || req.roles.length > 0 || req.groups.length > 0)) {
        return { status: "completed", notes: [{ type: "error", text: "A roster subscription cannot be combined with a username, roles or groups" }] };
      }
      const created = await create(deps, requester, req).catch(inviteErrorToStanza);
      return { status: "completed", form: invitationForm(created) };
    },
  };
}
