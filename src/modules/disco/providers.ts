// XEP-0030 2.5rc3: the registry of node providers behind DiscoApi.
import type { DiscoApi, DiscoRequest, InfoProvider, ItemsProvider } from "./api.ts";
import type { DiscoInfo, DiscoItem } from "./codec.ts";
import type { DiscoTarget } from "./collect.ts";

type Key = `${DiscoTarget} ${string}`;

function add<F>(map: Map<Key, F[]>, key: Key, fn: F): () => void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(fn);
  return () => {
    const cur = map.get(key);
    const at = cur?.indexOf(fn) ?? -1;
    if (cur && at >= 0) {
      cur.splice(at, 1);
      if (cur.length === 0) map.delete(key);
    }
  };
}

export class DiscoProviders implements DiscoApi {
  private readonly items = new Map<Key, ItemsProvider[]>();
  private readonly info = new Map<Key, InfoProvider[]>();

  addItemsProvider(node: string, fn: ItemsProvider, target: DiscoTarget = "host"): () => void {
    return add(this.items, `${target} ${node}`, fn);
  }

  addInfoProvider(node: string, fn: InfoProvider, target: DiscoTarget = "host"): () => void {
    return add(this.info, `${target} ${node}`, fn);
  }

  /** Whether anything answers for `node` on that target. */
  has(target: DiscoTarget, node: string): boolean {
    const key: Key = `${target} ${node}`;
    return this.items.has(key) || this.info.has(key);
  }

  async itemsFor(target: DiscoTarget, req: DiscoRequest): Promise<DiscoItem[]> {
    const out: DiscoItem[] = [];
    for (const fn of this.items.get(`${target} ${req.node}`) ?? []) out.push(...(await fn(req)));
    return out;
  }

  async infoFor(target: DiscoTarget, req: DiscoRequest): Promise<Partial<DiscoInfo>[]> {
    const out: Partial<DiscoInfo>[] = [];
    for (const fn of this.info.get(`${target} ${req.node}`) ?? []) out.push(await fn(req));
    return out;
  }
}
