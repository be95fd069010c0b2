// XEP-0030 2.5rc3 §3.1: merges what the loaded modules declare into one answer, without duplicates.
import type { DiscoIdentity, LoadedModuleInfo } from "../../core/module.ts";
import type { DiscoInfo } from "./codec.ts";

export type DiscoTarget = "host" | "account";

/** Identities and features the loaded modules declare for the domain (`host`) or for every account. */
export function declaredInfo(modules: readonly LoadedModuleInfo[], target: DiscoTarget): DiscoInfo {
  const info: DiscoInfo = { identities: [], features: [], extensions: [] };
  for (const m of modules) {
    if (target === "host") {
      if (m.disco.identities) info.identities.push(...m.disco.identities);
      if (m.disco.features) info.features.push(...m.disco.features);
    } else if (m.disco.accountFeatures) {
      info.features.push(...m.disco.accountFeatures);
    }
  }
  return info;
}

/** Concatenates answers; identities and features are deduplicated, features sorted (XEP-0115 orders them too). */
export function mergeInfo(parts: readonly Partial<DiscoInfo>[]): DiscoInfo {
  const identities = new Map<string, DiscoIdentity>();
  const features = new Set<string>();
  const extensions = [];
  for (const p of parts) {
    for (const i of p.identities ?? []) identities.set(`${i.category}/${i.type}/${i.name ?? ""}`, i);
    for (const f of p.features ?? []) features.add(f);
    if (p.extensions) extensions.push(...p.extensions);
  }
  return { identities: [...identities.values()], features: [...features].sort(), extensions };
}
