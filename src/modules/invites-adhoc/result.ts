// XEP-0401 0.6.0 §4: the invitation result form, and InviteError codes as stanza errors.
import { type DataForm, formTypeField } from "../../codecs/data-forms.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import { type CreatedInvite, InviteError } from "../invites/api.ts";

export const INVITATION_FORM_TYPE = "urn:xmpp:invite#invitation";

/** XEP-0082 DateTime in UTC, whole seconds: YYYY-MM-DDThh:mm:ssZ. */
export function xep82(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** Prosody's fields and labels, with 0.6.0's FORM_TYPE and types, as a `result` form (invites.md §13.1 [OURS]). */
export function invitationForm(created: CreatedInvite): DataForm {
  return {
    type: "result",
    title: "Your invite has been created",
    fields: [
      formTypeField(INVITATION_FORM_TYPE),
      {
        var: "landing-url",
        type: "text-single",
        label: "Invite web page",
        desc: "Share this link",
        values: created.landingPage === undefined ? [] : [created.landingPage],
      },
      {
        var: "uri",
        type: "text-single",
        label: "Invite URI",
        desc: "This alternative link can be opened with some XMPP clients",
        values: [created.uri],
      },
      { var: "expire", type: "text-single", label: "Invite valid until", values: [xep82(created.invite.expires)] },
    ],
  };
}

/** What the requester did wrong, in stanza-error terms; anything else is rethrown. */
export function inviteErrorToStanza(e: unknown): never {
  if (!(e instanceof InviteError)) throw e;
  switch (e.code) {
    case "not-permitted":
    case "role-not-permitted":
      throw new StanzaError("forbidden", e.message);
    case "quota-exceeded":
      throw new StanzaError("policy-violation", e.message);
    case "no-such-account":
    case "no-such-group":
    case "not-found":
      throw new StanzaError("item-not-found", e.message);
    case "bad-token":
    case "bad-username":
    case "bad-role":
    case "bad-ttl":
    case "bad-max-uses":
      throw new StanzaError("bad-request", e.message);
  }
}
