// Which texts an invite page uses (invites.md §10.2): by the invite's kind, with groups worded apart.
// Names shown are JIDs and the configured site name only, never a display name a user chose (§10.6).
import type { Translator } from "../../http/i18n/index.ts";
import type { ValidInvite } from "../invites/api.ts";

export type Wording = "account" | "group" | "account-and-contact" | "contact-only" | "password-reset";

export function wordingOf(valid: ValidInvite): Wording {
  if (valid.kind === "account" && valid.record.groups.length > 0) return "group";
  return valid.kind;
}

/** Setup pages have three variants: joining, adding a contact, resetting a password. */
export function setupWording(w: Wording): "account" | "contact-only" | "password-reset" {
  return w === "contact-only" || w === "password-reset" ? w : "account";
}

export interface InviteFacts {
  /** Site name ([http] site_name) or the host. */
  site: string;
  host: string;
  /** Bare JID of the inviting user (contact invites), else "". */
  inviter: string;
  /** The account a reset invite is for, else "". */
  jid: string;
}

export function headings(t: Translator, w: Wording, facts: InviteFacts): { title: string; heading: string; intro: string } {
  const p = { ...facts };
  return {
    title: t(`invite.${w}.title`, p),
    heading: t(`invite.${w}.heading`, p),
    intro: t(`invite.${w}.intro`, p),
  };
}
