// OfflineStore over kysely: an append-only queue per user, drained in arrival order.
import type { OfflineMessage, OfflineStore } from "../types.ts";
import { toNumber, type Db } from "./common.ts";

export class KyselyOfflineStore implements OfflineStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async push(host: string, username: string, stanza: string, stamp: number): Promise<void> {
    await this.#db.insertInto("offline_messages").values({ host, username, stanza, stamp }).execute();
  }

  async popAll(host: string, username: string): Promise<OfflineMessage[]> {
    // DELETE … RETURNING is one statement, so two sessions draining at once cannot both get a message.
    const rows = await this.#db
      .deleteFrom("offline_messages")
      .where("host", "=", host)
      .where("username", "=", username)
      .returning(["id", "stanza", "stamp"])
      .execute();
    // RETURNING order is unspecified; arrival order is the id order.
    return rows
      .map((r) => ({ id: toNumber(r.id), stanza: r.stanza, stamp: toNumber(r.stamp) }))
      .sort((a, b) => a.id - b.id)
      .map(({ stanza, stamp }) => ({ stanza, stamp }));
  }

  async count(host: string, username: string): Promise<number> {
    const r = await this.#db
      .selectFrom("offline_messages")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("host", "=", host)
      .where("username", "=", username)
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  }

  holders(): Promise<{ host: string; username: string }[]> {
    return this.#db.selectFrom("offline_messages").select(["host", "username"]).distinct().execute();
  }
}
