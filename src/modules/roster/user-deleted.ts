// RFC 6121 §2.5.2 applied to a deleted account: it leaves every local roster, and remote contacts are told.
import type { Storage } from "../../storage/types.ts";
import type { Logger } from "../../core/logger.ts";
import { type Jid, makeJid, tryParseJid } from "../../xmpp/jid.ts";
import type { RosterService } from "./service.ts";
import { accountKey } from "./service.ts";
import { announceRemoval, type RemovalDeps } from "./removal.ts";

export interface UserDeletedDeps extends RemovalDeps {
  storage: Storage;
  log: Logger;
  isLocalHost(domain: string): boolean;
}

/**
 * The account's own rows may already be gone when this runs, and another roster may hold the account
 * without the account holding it back, so local rosters are found by looking at every local account
 * (once per deletion; an online account is answered from the cache).
 */
export async function cleanUpDeletedUser(service: RosterService, deps: UserDeletedDeps, host: string, username: string): Promise<void> {
  const key = accountKey(host, username);
  let user: Jid;
  try {
    user = makeJid(username, host);
  } catch {
    return;
  }
  const cached = service.cache.loadedEntry(key);
  const items = cached ? [...cached.items.values()] : (await deps.storage.rosters.getRoster(host, username)).items;
  service.cache.drop(key);

  // No server-to-server links yet, but the stanzas are right for when there are.
  for (const item of items) {
    const contact = tryParseJid(item.jid);
    if (!contact || deps.isLocalHost(contact.domain)) continue;
    await announceRemoval(deps, user, contact, item, false).catch((err: unknown) =>
      deps.log.warn({ err, contact: item.jid }, "could not tell a remote contact about a deleted account"),
    );
  }

  for (const account of await deps.storage.accounts.list()) {
    if (account.host === host && account.username === username) continue;
    try {
      await service.updateItem(account.host, account.username, key, () => undefined);
      await service.removePendingIn(account.host, account.username, key);
    } catch (err) {
      deps.log.warn({ err, user: accountKey(account.host, account.username) }, "could not remove a deleted account from a roster");
    }
  }
}
