// The groups module's public API: circles whose members have each other in their rosters (invites.md §7.7).
import type { Group } from "../../storage/types.ts";
import type { CircleChange } from "./circle.ts";

export type GroupErrorCode = "bad-id" | "bad-name" | "no-such-group" | "no-such-account";

export class GroupError extends Error {
  readonly code: GroupErrorCode;
  constructor(code: GroupErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface GroupsApi {
  /** False when the id is taken. Throws GroupError bad-id / bad-name. */
  create(host: string, id: string, name: string): Promise<boolean>;
  /** Removes every member first (and the roster items the circle made), then the group. */
  delete(host: string, id: string): Promise<boolean>;
  list(host: string): Promise<Group[]>;
  get(host: string, id: string): Promise<Group | undefined>;
  members(host: string, id: string): Promise<string[]>;
  /** False when already a member (the rosters are still completed). Throws GroupError no-such-group / no-such-account. */
  addMember(host: string, id: string, username: string): Promise<boolean>;
  /** False when not a member. Throws GroupError no-such-group. */
  removeMember(host: string, id: string, username: string): Promise<boolean>;
  /**
   * For roster changes a circle function made straight in storage (say inside a registration's
   * transaction): brings the cached rosters of online accounts up to date and sends them roster pushes.
   */
  announce(host: string, changes: readonly CircleChange[]): Promise<void>;
}
