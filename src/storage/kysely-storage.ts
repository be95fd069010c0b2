// Storage over any kysely dialect: the stores bound to the instance, and transactions that rebind them.
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";
import type { Storage, Stores } from "./types.ts";
import { kyselyStores } from "./stores/index.ts";

/**
 * Inside `transaction(fn)` use only the stores fn is handed: on SQLite the transaction holds the one
 * connection, so a call through the outer stores would wait for it forever.
 */
export function kyselyStorage(db: Kysely<Database>): Storage {
  return {
    ...kyselyStores(db),
    transaction<T>(fn: (tx: Stores) => Promise<T>): Promise<T> {
      return db.transaction().execute((trx) => fn(kyselyStores(trx)));
    },
    close(): Promise<void> {
      return db.destroy();
    },
  };
}
