// Prosody's "Create password reset invite" (xmpp:prosody.im/mod_invites_adhoc#password-reset): accountjid, then the invite.
import { type DataForm, FormError, readJid, validateSubmission } from "../../codecs/data-forms.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import type { CommandOutcome, CommandSpec } from "../adhoc/api.ts";
import { type CommandDeps, creatorOf } from "./deps.ts";
import { invitationForm, inviteErrorToStanza } from "./result.ts";

export const RESET_NODE = "xmpp:prosody.im/mod_invites_adhoc#password-reset";

export const RESET_FORM: DataForm = {
  type: "form",
  title: "Generate Password Reset Invite",
  fields: [{ var: "accountjid", type: "jid-single", label: "Account", required: true, values: [] }],
};

const FILL_IN = "Fill in the form correctly";

export function resetInviteCommand({ invites }: CommandDeps): CommandSpec {
  return {
    node: RESET_NODE,
    name: "Create password reset invite",
    allowed: (_jid, isAdmin) => isAdmin,
    async handler({ requester, action, form, stage }): Promise<CommandOutcome> {
      if (stage === 0 && form === undefined && action !== "complete") {
        return { status: "executing", form: RESET_FORM, actions: ["complete"] };
      }
      let account;
      try {
        account = readJid(validateSubmission(RESET_FORM, form ?? { type: "submit", fields: [] }), "accountjid");
      } catch (e) {
        if (!(e instanceof FormError)) throw e;
        return { status: "completed", notes: [{ type: "error", text: FILL_IN }] };
      }
      if (account === undefined || account.local === undefined) return { status: "completed", notes: [{ type: "error", text: FILL_IN }] };
      // Upstream ignores the domain; resetting bob@elsewhere would reset bob here.
      if (account.domain !== requester.host) throw new StanzaError("item-not-found", `${account.bareString()} is not an account of ${requester.host}`);
      const created = await invites
        .createReset({ host: requester.host, creator: creatorOf(requester), username: account.local })
        .catch(inviteErrorToStanza);
      return { status: "completed", form: invitationForm(created) };
    },
  };
}
