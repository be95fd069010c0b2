// A typed event bus: handlers run in priority order (highest first); one returning true stops the rest.

export type Handler<P> = (payload: P) => unknown;

interface Entry<P> {
  handler: Handler<P>;
  priority: number;
}

export class EventBus<E extends object> {
  private readonly handlers = new Map<keyof E, Entry<never>[]>();

  /** Returns a function that removes the handler again. */
  on<K extends keyof E>(name: K, handler: Handler<E[K]>, priority = 0): () => void {
    const list = (this.handlers.get(name) ?? []) as Entry<E[K]>[];
    const entry: Entry<E[K]> = { handler, priority };
    let i = list.length;
    while (i > 0 && list[i - 1]!.priority < priority) i--;
    list.splice(i, 0, entry);
    this.handlers.set(name, list as Entry<never>[]);
    return () => {
      const cur = this.handlers.get(name) as Entry<E[K]>[] | undefined;
      const at = cur?.indexOf(entry) ?? -1;
      if (cur && at >= 0) cur.splice(at, 1);
    };
  }

  has<K extends keyof E>(name: K): boolean {
    return (this.handlers.get(name)?.length ?? 0) > 0;
  }

  /** Resolves true when a handler claimed the event. Handler errors propagate to the emitter. */
  async emit<K extends keyof E>(name: K, payload: E[K]): Promise<boolean> {
    const list = this.handlers.get(name) as Entry<E[K]>[] | undefined;
    if (!list || list.length === 0) return false;
    for (const entry of list.length === 1 ? list : list.slice()) {
      let r = entry.handler(payload);
      if (r instanceof Promise) r = await r;
      if (r === true) return true;
    }
    return false;
  }
}
