// XEP-0092 1.1: the server's name and version; the operating system is not disclosed.
import { readFileSync } from "node:fs";
import { defineModule } from "../../core/module.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { encodeVersion } from "./codec.ts";

export function hearthVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof pkg.version === "string" ? pkg.version : "unknown";
}

export default defineModule({
  name: "version",
  xeps: [{ xep: 92, version: "1.1", note: "no operating system: it helps attackers more than users" }],
  setup() {
    const answer = { name: "Hearth", version: hearthVersion() };
    return {
      iq: [{ type: "get", ns: NS.VERSION, name: "query", scope: "host", handler: () => encodeVersion(answer) }],
      disco: { features: [NS.VERSION] },
    };
  },
});
