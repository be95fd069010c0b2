// The presentation kind of an invite (invites.md §5.3), derived from its record.
import type { InviteRecord } from "../../storage/types.ts";
import type { InviteKind } from "./api.ts";

export function kindOf(record: InviteRecord): InviteKind {
  if (record.type === "register") return record.resetUsername !== undefined ? "password-reset" : "account";
  return record.allowRegistration ? "account-and-contact" : "contact-only";
}
