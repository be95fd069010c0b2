// VcardStore over kysely: one vcard-temp XML document per user.
import type { VcardStore } from "../types.ts";
import type { Db } from "./common.ts";

export class KyselyVcardStore implements VcardStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async get(host: string, username: string): Promise<string | undefined> {
    const r = await this.#db
      .selectFrom("vcards")
      .select("vcard")
      .where("host", "=", host)
      .where("username", "=", username)
      .executeTakeFirst();
    return r?.vcard;
  }

  async set(host: string, username: string, vcard: string | undefined): Promise<void> {
    if (vcard === undefined) {
      await this.#db.deleteFrom("vcards").where("host", "=", host).where("username", "=", username).execute();
      return;
    }
    await this.#db
      .insertInto("vcards")
      .values({ host, username, vcard })
      .onConflict((oc) => oc.columns(["host", "username"]).doUpdateSet({ vcard }))
      .execute();
  }
}
