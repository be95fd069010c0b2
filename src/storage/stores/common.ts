// Helpers shared by the kysely stores: value coercion across drivers and "atomic unless already in a transaction".
import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";

/** A Kysely instance or a Transaction (which is a Kysely too). */
export type Db = Kysely<Database>;

/** Runs fn in a transaction, or directly when db already is one (kysely has no nested transactions). */
export function atomic<T>(db: Db, fn: (db: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** bigint columns and count(*) come back as string from pg, number (or bigint) from better-sqlite3. */
export function toNumber(v: number | string | bigint | null | undefined): number {
  if (typeof v === "number") return v;
  if (v === null || v === undefined) return 0;
  return Number(v);
}

/** Byte columns arrive as Buffer from both drivers; a bare Uint8Array is wrapped without copying. */
export function toBuffer(v: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function toFlag(b: boolean): number {
  return b ? 1 : 0;
}

/** Code-unit order, the same on every backend whatever the database collation. */
export function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Number of rows an insert/update/delete touched, as kysely reports it (bigint). */
export function touched(n: bigint | undefined): number {
  return n === undefined ? 0 : Number(n);
}
