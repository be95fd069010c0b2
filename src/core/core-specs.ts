// What the core implements (streams, TLS, SASL, binding, JIDs), declared like a module's `xeps` so the
// generated table in docs/xeps.md covers the whole server.
import type { XepSupport } from "./module.ts";

export const CORE_SPECS: { name: string; xeps: XepSupport[] } = {
  name: "core",
  xeps: [
    { xep: "RFC 6120", version: "March 2011", note: "streams, STARTTLS (TLS required by default), SASL, resource binding, stanza routing and errors" },
    { xep: "RFC 7590", version: "June 2015", note: "TLS 1.2 or newer" },
    { xep: "RFC 7622", version: "September 2015", note: "PRECIS UsernameCaseMapped localparts, OpaqueString resources, IDNA domains" },
    { xep: "RFC 5802", version: "July 2010", note: "SCRAM-SHA-1 and SCRAM-SHA-1-PLUS; passwords stored only as SCRAM keys" },
    { xep: "RFC 7677", version: "November 2015", note: "SCRAM-SHA-256 and SCRAM-SHA-256-PLUS" },
    { xep: "RFC 9266", version: "July 2022", note: "tls-exporter channel binding (TLS 1.3)" },
    { xep: "RFC 5929", version: "July 2010", note: "tls-server-end-point channel binding" },
    { xep: "RFC 4616", version: "August 2006", note: "PLAIN, only on encrypted streams" },
    { xep: 368, version: "1.1.0", note: "Direct TLS on its own port (5223)" },
    { xep: 440, version: "0.4.0", note: "advertises the channel-binding types it supports" },
  ],
};
