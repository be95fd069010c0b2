// Circles over the stores, with no server needed (the CLI uses them too): membership plus mutual roster items.
import type { RosterItem, Stores } from "../../storage/types.ts";
import { GroupError } from "./api.ts";

/** The roster of `username` changed for `contact` (a bare JID). */
export interface CircleChange {
  username: string;
  contact: string;
}

export interface CircleResult {
  /** Whether the membership itself changed. */
  changed: boolean;
  rosterChanges: CircleChange[];
}

const GROUP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// Roster group names travel in XML text: no control characters, and not blank.
const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkGroupId(id: string): void {
  if (!GROUP_ID.test(id)) throw new GroupError("bad-id", "A group id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
}

export function checkGroupName(name: string): void {
  if (name.trim() === "" || name.length > 100 || CONTROL.test(name)) {
    throw new GroupError("bad-name", "A group name is 1 to 100 characters, not blank, without control characters");
  }
}

export async function createGroup(stores: Stores, host: string, id: string, name: string): Promise<boolean> {
  checkGroupId(id);
  checkGroupName(name);
  return stores.groups.create(host, id, name);
}

async function groupName(stores: Stores, host: string, id: string): Promise<string> {
  const group = await stores.groups.get(host, id);
  if (group === undefined) throw new GroupError("no-such-group", `No such group: ${id}`);
  return group.name;
}

/** A read-modify-write of one roster item; returns `item` itself when nothing changes, undefined to remove it. */
export type RosterUpdate = (item: Readonly<RosterItem> | undefined) => RosterItem | Readonly<RosterItem> | undefined;

/** Where circle changes to rosters go: straight to the stores, or through the roster module (cache and pushes). */
export interface RosterWriter {
  /** True when the item changed. */
  update(host: string, owner: string, jid: string, fn: RosterUpdate): Promise<boolean>;
}

/** Writes rosters straight to the stores (in a transaction, or from the CLI with no server running). */
export function storeWriter(stores: Stores): RosterWriter {
  return {
    async update(host, owner, jid, fn) {
      const current = await stores.rosters.getItem(host, owner, jid);
      const next = fn(current);
      if (next === current) return false;
      if (next === undefined) await stores.rosters.removeItem(host, owner, jid);
      else await stores.rosters.putItem(host, owner, { ...next, groups: [...next.groups] });
      return true;
    },
  };
}

/** The item as a circle wants it: subscription `both`, filed under the group; name and other groups kept. */
export function joinUpdate(jid: string, group: string): RosterUpdate {
  return (current) => {
    const wanted: RosterItem = {
      jid,
      subscription: "both",
      ask: false,
      approved: false,
      groups: current === undefined ? [group] : current.groups.includes(group) ? [...current.groups] : [...current.groups, group],
    };
    if (current?.name !== undefined) wanted.name = current.name;
    return current !== undefined && sameItem(current, wanted) ? current : wanted;
  };
}

/** Drops the group; an item left with no group and no name (as the circle made it) goes. */
export function leaveUpdate(group: string): RosterUpdate {
  return (current) => {
    if (current === undefined || !current.groups.includes(group)) return current;
    const groups = current.groups.filter((g) => g !== group);
    if (groups.length === 0 && current.name === undefined) return undefined;
    return { ...current, groups };
  };
}

/**
 * Adds `username` to the circle: every current member and the new one get each other as contacts with
 * subscription `both`, filed under the group's name (existing items keep their name and other groups).
 */
export async function addMember(
  stores: Stores,
  host: string,
  id: string,
  username: string,
  writer: RosterWriter = storeWriter(stores),
): Promise<CircleResult> {
  const name = await groupName(stores, host, id);
  if (!(await stores.accounts.exists(host, username))) throw new GroupError("no-such-account", `No such account: ${username}@${host}`);
  const changed = await stores.groups.addMember(host, id, username);
  const rosterChanges: CircleChange[] = [];
  for (const member of await stores.groups.members(host, id)) {
    if (member === username) continue;
    const memberJid = `${member}@${host}`;
    const userJid = `${username}@${host}`;
    if (await writer.update(host, member, userJid, joinUpdate(userJid, name))) rosterChanges.push({ username: member, contact: userJid });
    if (await writer.update(host, username, memberJid, joinUpdate(memberJid, name))) rosterChanges.push({ username, contact: memberJid });
  }
  return { changed, rosterChanges };
}

/**
 * Removes `username` from the circle and the group's name from the items between it and the remaining
 * members. An item left with no group and no name (as the circle made it) is removed; one the user
 * named or filed under another group stays, its subscription untouched.
 */
export async function removeMember(
  stores: Stores,
  host: string,
  id: string,
  username: string,
  writer: RosterWriter = storeWriter(stores),
): Promise<CircleResult> {
  const name = await groupName(stores, host, id);
  const changed = await stores.groups.removeMember(host, id, username);
  const rosterChanges: CircleChange[] = [];
  for (const member of await stores.groups.members(host, id)) {
    if (member === username) continue;
    const memberJid = `${member}@${host}`;
    const userJid = `${username}@${host}`;
    if (await writer.update(host, member, userJid, leaveUpdate(name))) rosterChanges.push({ username: member, contact: userJid });
    if (await writer.update(host, username, memberJid, leaveUpdate(name))) rosterChanges.push({ username, contact: memberJid });
  }
  return { changed, rosterChanges };
}

/** Takes every member out (as removeMember does), then deletes the group. */
export async function deleteGroup(stores: Stores, host: string, id: string, writer: RosterWriter = storeWriter(stores)): Promise<CircleResult> {
  if ((await stores.groups.get(host, id)) === undefined) return { changed: false, rosterChanges: [] };
  const rosterChanges: CircleChange[] = [];
  for (const member of await stores.groups.members(host, id)) {
    rosterChanges.push(...(await removeMember(stores, host, id, member, writer)).rosterChanges);
  }
  return { changed: await stores.groups.delete(host, id), rosterChanges };
}

function sameItem(a: Readonly<RosterItem>, b: RosterItem): boolean {
  return (
    a.jid === b.jid &&
    a.name === b.name &&
    a.subscription === b.subscription &&
    a.ask === b.ask &&
    a.approved === b.approved &&
    a.groups.length === b.groups.length &&
    a.groups.every((g, i) => g === b.groups[i])
  );
}
