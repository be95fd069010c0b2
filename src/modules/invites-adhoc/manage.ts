// Hearth's admin commands to list and revoke a domain's live invites (invites.md §6 [OURS] list/revoke).
import { type DataForm, FormError, formTypeField, readText, validateSubmission } from "../../codecs/data-forms.ts";
import type { CommandOutcome, CommandSpec } from "../adhoc/api.ts";
import type { CommandDeps } from "./deps.ts";
import { xep82 } from "./result.ts";

export const LIST_NODE = "urn:hearth:invites#list";
export const REVOKE_NODE = "urn:hearth:invites#revoke";

export const REVOKE_FORM: DataForm = {
  type: "form",
  title: "Revoke an invite",
  fields: [
    formTypeField(REVOKE_NODE),
    { var: "id", type: "text-single", label: "Invite id", desc: "As the invite list shows it (or the token itself)", required: true, values: [] },
  ],
};

const oneLine = (s: string): string => s.replace(/\s+/g, " ").trim();

export function listInvitesCommand({ invites }: CommandDeps): CommandSpec {
  return {
    node: LIST_NODE,
    name: "List invites",
    allowed: (_jid, isAdmin) => isAdmin,
    async handler({ requester }): Promise<CommandOutcome> {
      const live = await invites.list(requester.host);
      const lines = live.map((r) => {
        const parts = [r.id, invites.kindOf(r), xep82(r.expires), r.createdBy];
        if (r.note !== undefined && r.note !== "") parts.push(oneLine(r.note));
        return parts.join(" ");
      });
      return {
        status: "completed",
        form: {
          type: "result",
          title: `${live.length} pending invite${live.length === 1 ? "" : "s"}`,
          fields: [
            formTypeField(LIST_NODE),
            { var: "count", type: "text-single", label: "Pending invites", values: [String(live.length)] },
            { var: "invites", type: "text-multi", label: "Id, kind, valid until, created by, note", values: lines },
          ],
        },
      };
    },
  };
}

export function revokeInviteCommand({ invites }: CommandDeps): CommandSpec {
  return {
    node: REVOKE_NODE,
    name: "Revoke an invite",
    allowed: (_jid, isAdmin) => isAdmin,
    async handler({ requester, action, form, stage }): Promise<CommandOutcome> {
      if (stage === 0 && form === undefined && action !== "complete") {
        return { status: "executing", form: REVOKE_FORM, actions: ["complete"] };
      }
      let id: string | undefined;
      try {
        id = readText(validateSubmission(REVOKE_FORM, form ?? { type: "submit", fields: [] }), "id")?.trim();
      } catch (e) {
        if (!(e instanceof FormError)) throw e;
        return { status: "completed", notes: [{ type: "error", text: e.message }] };
      }
      if (!id) return { status: "completed", notes: [{ type: "error", text: "Field 'id': is required" }] };
      const record = await invites.find(requester.host, id);
      if (!record || !(await invites.revoke(requester.host, id))) {
        return { status: "completed", notes: [{ type: "error", text: `No live invite matches '${id}'` }] };
      }
      return { status: "completed", notes: [{ type: "info", text: `Invite ${record.id} revoked` }] };
    },
  };
}
