// Circles (Snikket's groups, invites.md §7.7): members have each other in their rosters under the group's name.
import { defineModule } from "../../core/module.ts";
import type { Storage } from "../../storage/types.ts";
import type { RosterApi } from "../roster/api.ts";
import type { GroupsApi } from "./api.ts";
import { addMember, createGroup, deleteGroup, removeMember, type CircleChange, type RosterWriter } from "./circle.ts";

export type { GroupsApi, GroupErrorCode } from "./api.ts";
export { GroupError } from "./api.ts";
export type { CircleChange } from "./circle.ts";

/** Roster writes through the roster module, so online members' cached rosters follow and they get pushes. */
function rosterWriter(roster: RosterApi): RosterWriter {
  return {
    async update(host, owner, jid, fn) {
      let changed = false;
      await roster.updateItem(host, owner, jid, (current) => {
        const next = fn(current);
        changed = next !== current;
        return next === current ? current : next && { ...next, groups: [...next.groups] };
      });
      return changed;
    },
  };
}

export function groupsService(storage: Storage, roster: RosterApi): GroupsApi {
  const writer = rosterWriter(roster);
  return {
    create: (host, id, name) => createGroup(storage, host, id, name),
    delete: async (host, id) => (await deleteGroup(storage, host, id, writer)).changed,
    list: (host) => storage.groups.list(host),
    get: (host, id) => storage.groups.get(host, id),
    members: (host, id) => storage.groups.members(host, id),
    addMember: async (host, id, username) => (await addMember(storage, host, id, username, writer)).changed,
    removeMember: async (host, id, username) => (await removeMember(storage, host, id, username, writer)).changed,
    async announce(host: string, changes: readonly CircleChange[]) {
      for (const { username, contact } of changes) {
        const stored = await storage.rosters.getItem(host, username, contact);
        // Only online accounts hold a cached roster that can be behind the store.
        if (stored === undefined || !roster.isCached(host, username)) continue;
        await roster.updateItem(host, username, contact, () => stored);
      }
    },
  };
}

export default defineModule<GroupsApi>({
  name: "groups",
  depends: ["roster"],
  setup(ctx) {
    return { api: groupsService(ctx.storage, ctx.use<RosterApi>("roster")) };
  },
});
