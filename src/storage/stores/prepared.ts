// Compile-once queries for the hot paths (login reads, an invite's use): kysely's build+compile is a third of a
// roster load.
import type { Compilable, CompiledQuery, QueryResult } from "kysely";
import type { Db } from "./common.ts";

/**
 * Wraps a query whose SQL does not depend on its parameter values (only `=`/`<`… comparisons, no `in`
 * lists, no optional clauses). It is compiled once per Kysely instance (transactions share their parent's
 * adapter, hence its cache) and rerun with new values. The first compile uses unique sentinels and
 * checks that each parameter lands in its own slot, in order, so a builder that breaks the rule throws
 * instead of running with shuffled values.
 */
export function prepared<P extends unknown[], R>(
  build: (db: Db, ...params: P) => Compilable<R>,
): (db: Db, ...params: P) => Promise<R[]> {
  const run = compiledOnce(build);
  return async (db, ...params) => (await run(db, params)).rows;
}

/** `prepared` for an INSERT, UPDATE or DELETE without RETURNING: how many rows it changed. */
export function preparedWrite<P extends unknown[]>(
  build: (db: Db, ...params: P) => Compilable<unknown>,
): (db: Db, ...params: P) => Promise<bigint> {
  const run = compiledOnce(build);
  return async (db, ...params) => (await run(db, params)).numAffectedRows ?? 0n;
}

function compiledOnce<P extends unknown[], R>(build: (db: Db, ...params: P) => Compilable<R>) {
  const byAdapter = new WeakMap<object, CompiledQuery<R>>();
  return (db: Db, params: P): Promise<QueryResult<R>> => {
    const executor = db.getExecutor();
    // Plugins may rewrite queries, so a plugged instance compiles each time.
    if (executor.plugins.length > 0) return db.executeQuery(build(db, ...params));
    let compiled = byAdapter.get(executor.adapter);
    if (compiled === undefined) {
      const sentinels = params.map((_, i) => ({ sentinel: i })) as unknown as P;
      compiled = build(db, ...sentinels).compile();
      const ps = compiled.parameters;
      if (ps.length !== params.length || ps.some((p, i) => p !== sentinels[i])) {
        throw new Error(`prepared query does not take its ${params.length} parameters in order: ${compiled.sql}`);
      }
      byAdapter.set(executor.adapter, compiled);
    }
    return db.executeQuery<R>({ ...compiled, parameters: params });
  };
}
