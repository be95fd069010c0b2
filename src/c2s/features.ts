// Stream features contributed by modules, gathered per negotiation stage.
import type { Element } from "../xml/element.ts";
import type { Session } from "../core/session.ts";
import type { StreamFeatureSpec } from "../core/module.ts";

export class FeatureRegistry {
  private readonly specs: StreamFeatureSpec[] = [];

  add(spec: StreamFeatureSpec): () => void {
    this.specs.push(spec);
    return () => {
      const i = this.specs.indexOf(spec);
      if (i >= 0) this.specs.splice(i, 1);
    };
  }

  collect(stage: StreamFeatureSpec["stage"], session: Session): Element[] {
    const out: Element[] = [];
    for (const spec of this.specs) {
      if (spec.stage !== stage) continue;
      const el = spec.element(session);
      if (el) out.push(el);
    }
    return out;
  }
}
