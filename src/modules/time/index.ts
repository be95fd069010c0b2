// XEP-0202 2.0: the server's time, always in UTC.
import { defineModule } from "../../core/module.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { encodeTime, entityTime } from "./codec.ts";

export default defineModule({
  name: "time",
  xeps: [{ xep: 202, version: "2.0" }],
  setup() {
    return {
      iq: [{ type: "get", ns: NS.TIME, name: "time", scope: "host", handler: () => encodeTime(entityTime(Date.now())) }],
      disco: { features: [NS.TIME] },
    };
  },
});
