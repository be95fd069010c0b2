// XEP-0401 0.6.0 §4.1 "Create new contact invite" (urn:xmpp:invite#invite), as Prosody's mod_invites_adhoc.
import type { CommandSpec } from "../adhoc/api.ts";
import { type CommandDeps, creatorOf } from "./deps.ts";
import { invitationForm, inviteErrorToStanza } from "./result.ts";

export const CONTACT_NODE = "urn:xmpp:invite#invite";

export function contactInviteCommand({ invites, config }: CommandDeps): CommandSpec {
  return {
    node: CONTACT_NODE,
    name: "Create new contact invite",
    localOnly: true,
    allowed: (_jid, isAdmin) => isAdmin || config.allowContactInvites,
    async handler({ requester }) {
      // Restricted users (Snikket's limited accounts) never get invites that create accounts.
      const allowRegistration = requester.isAdmin || (config.allowUserInvites && requester.role !== "restricted");
      const created = await invites
        .createContact({
          host: requester.host,
          creator: creatorOf(requester),
          inviter: requester.jid.local!,
          allowRegistration,
        })
        .catch(inviteErrorToStanza);
      return { status: "completed", form: invitationForm(created) };
    },
  };
}
