// The modules a default Hearth runs, in no particular order (the loader sorts by dependencies).
import type { ModuleDefinition } from "../core/module.ts";

export const defaultModules: ModuleDefinition[] = [];
