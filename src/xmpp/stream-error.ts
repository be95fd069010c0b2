// RFC 6120 §4.9 stream errors: fatal, they close the stream.
import { x, type Element } from "../xml/element.ts";
import { NS } from "./namespaces.ts";

export type StreamErrorCondition =
  | "bad-format"
  | "bad-namespace-prefix"
  | "conflict"
  | "connection-timeout"
  | "host-gone"
  | "host-unknown"
  | "improper-addressing"
  | "internal-server-error"
  | "invalid-from"
  | "invalid-namespace"
  | "invalid-xml"
  | "not-authorized"
  | "not-well-formed"
  | "policy-violation"
  | "remote-connection-failed"
  | "reset"
  | "resource-constraint"
  | "restricted-xml"
  | "see-other-host"
  | "system-shutdown"
  | "undefined-condition"
  | "unsupported-encoding"
  | "unsupported-feature"
  | "unsupported-stanza-type"
  | "unsupported-version";

export class StreamError extends Error {
  readonly condition: StreamErrorCondition;
  readonly text: string | undefined;
  constructor(condition: StreamErrorCondition, text?: string) {
    super(text ? `${condition}: ${text}` : condition);
    this.condition = condition;
    this.text = text;
  }

  /** `<stream:error>`; serialise with the stream prefix, as the stream header declares it. */
  toXml(): string {
    const body: Element[] = [x(this.condition, { xmlns: NS.STREAM_ERRORS })];
    if (this.text) body.push(x("text", { xmlns: NS.STREAM_ERRORS }, this.text));
    return "<stream:error>" + body.map((b) => b.toString()).join("") + "</stream:error>";
  }
}
