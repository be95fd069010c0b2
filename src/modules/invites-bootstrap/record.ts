// Which bootstrap index each host has had an invite for, kept in the data directory next to the server secret.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface IssuedBootstrap {
  index: number;
  /** Id of the invite (never its token). */
  invite: string;
  /** Unix ms. */
  at: number;
}

/**
 * Not in the database: invites are purged (expired unused ones at once, used ones after tombstone_days),
 * so the invites table cannot tell forever that an index was used. Without this record the same URL
 * would mint a fresh admin invite once the old one was purged. The tokens are derived from the server
 * secret in the same directory, so this record lives and dies with it.
 */
export class BootstrapRecord {
  readonly #path: string;

  constructor(dataDir: string) {
    this.#path = join(dataDir, "invites-bootstrap.json");
  }

  /** Read each time: an operator may delete the file to start over. */
  get(host: string): IssuedBootstrap | undefined {
    return this.#read()[host];
  }

  set(host: string, entry: IssuedBootstrap): void {
    const all = { ...this.#read(), [host]: entry };
    const tmp = `${this.#path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.#path);
  }

  #read(): Record<string, IssuedBootstrap> {
    if (!existsSync(this.#path)) return {};
    const parsed: unknown = JSON.parse(readFileSync(this.#path, "utf8"));
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`${this.#path} is not a JSON object`);
    for (const [host, e] of Object.entries(parsed as Record<string, unknown>)) {
      if (!Number.isSafeInteger((e as IssuedBootstrap | null)?.index)) throw new Error(`${this.#path}: no index for ${host}`);
    }
    return parsed as Record<string, IssuedBootstrap>;
  }
}
