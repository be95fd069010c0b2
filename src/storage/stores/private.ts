// PrivateStore over kysely: XEP-0049 private XML, one row per user and `{namespace}localname`.
import type { PrivateStore } from "../types.ts";
import type { Db } from "./common.ts";

export class KyselyPrivateStore implements PrivateStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async get(host: string, username: string, key: string): Promise<string | undefined> {
    const r = await this.#db
      .selectFrom("private_data")
      .select("xml")
      .where("host", "=", host)
      .where("username", "=", username)
      .where("key", "=", key)
      .executeTakeFirst();
    return r?.xml;
  }

  async set(host: string, username: string, key: string, xml: string | undefined): Promise<void> {
    if (xml === undefined) {
      await this.#db
        .deleteFrom("private_data")
        .where("host", "=", host)
        .where("username", "=", username)
        .where("key", "=", key)
        .execute();
      return;
    }
    await this.#db
      .insertInto("private_data")
      .values({ host, username, key, xml })
      .onConflict((oc) => oc.columns(["host", "username", "key"]).doUpdateSet({ xml }))
      .execute();
  }
}
