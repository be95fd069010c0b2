// Loads modules in dependency order and registers their wiring; can remove all of it again.
import type { EventBus } from "./event-bus.ts";
import type { ServerEvents } from "./events.ts";
import type { LoadedModuleInfo, ModuleContext, ModuleDefinition, ModuleWiring } from "./module.ts";
import type { Router } from "./router.ts";
import type { FeatureRegistry } from "../c2s/features.ts";

type BaseContext = Omit<ModuleContext, "use" | "modules">;

interface Loaded {
  def: ModuleDefinition;
  wiring: ModuleWiring<unknown>;
  undo: (() => void)[];
}

export class ModuleLoader {
  private readonly loaded = new Map<string, Loaded>();
  private readonly order: string[] = [];
  private readonly base: BaseContext;
  private readonly router: Router;
  private readonly features: FeatureRegistry;
  private readonly events: EventBus<ServerEvents>;

  constructor(base: BaseContext, router: Router, features: FeatureRegistry) {
    this.base = base;
    this.router = router;
    this.features = features;
    this.events = base.events;
  }

  async load(defs: readonly ModuleDefinition[]): Promise<void> {
    for (const def of sortByDependencies(defs)) await this.loadOne(def);
  }

  private async loadOne(def: ModuleDefinition): Promise<void> {
    const ctx: ModuleContext = {
      ...this.base,
      log: this.base.log.child({ module: def.name }),
      use: <T>(name: string): T => {
        if (!def.depends?.includes(name)) throw new Error(`module ${def.name} uses ${name} without depending on it`);
        const dep = this.loaded.get(name);
        if (!dep) throw new Error(`module ${def.name} needs ${name}, which is not loaded`);
        return dep.wiring.api as T;
      },
      modules: () => this.infos(),
    };
    const wiring = await def.setup(ctx);
    const undo: (() => void)[] = [];
    for (const [name, hook] of Object.entries(wiring.hooks ?? {})) {
      const h = typeof hook === "function" ? { handler: hook, priority: 0 } : hook!;
      undo.push(this.events.on(name as keyof ServerEvents, h.handler as never, h.priority));
    }
    for (const spec of wiring.iq ?? []) undo.push(this.router.addIqHandler(spec));
    for (const spec of wiring.preAuthIq ?? []) undo.push(this.router.addPreAuthIqHandler(spec));
    for (const spec of wiring.streamFeatures ?? []) undo.push(this.features.add(spec));
    this.loaded.set(def.name, { def, wiring, undo });
    this.order.push(def.name);
  }

  api<T>(name: string): T | undefined {
    return this.loaded.get(name)?.wiring.api as T | undefined;
  }

  infos(): LoadedModuleInfo[] {
    return this.order.map((name) => {
      const m = this.loaded.get(name)!;
      return { name, xeps: m.def.xeps ?? [], disco: m.wiring.disco ?? {} };
    });
  }

  async stopAll(): Promise<void> {
    for (const name of [...this.order].reverse()) {
      const m = this.loaded.get(name)!;
      for (const u of m.undo) u();
      await m.wiring.stop?.();
      this.loaded.delete(name);
    }
    this.order.length = 0;
  }
}

function sortByDependencies(defs: readonly ModuleDefinition[]): ModuleDefinition[] {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const out: ModuleDefinition[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (d: ModuleDefinition, path: string[]) => {
    const s = state.get(d.name);
    if (s === "done") return;
    if (s === "visiting") throw new Error(`module dependency cycle: ${[...path, d.name].join(" -> ")}`);
    state.set(d.name, "visiting");
    for (const dep of d.depends ?? []) {
      const dd = byName.get(dep);
      if (!dd) throw new Error(`module ${d.name} depends on ${dep}, which is not in the module list`);
      visit(dd, [...path, d.name]);
    }
    state.set(d.name, "done");
    out.push(d);
  };
  for (const d of defs) visit(d, []);
  return out;
}
