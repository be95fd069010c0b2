// RFC 6121 §5.2.2: the type of a message stanza; a missing or unknown type means "normal".
import type { Element } from "../xml/element.ts";

export type MessageType = "normal" | "chat" | "groupchat" | "headline" | "error";

export function messageType(stanza: Element): MessageType {
  switch (stanza.attrs.type) {
    case "chat":
      return "chat";
    case "groupchat":
      return "groupchat";
    case "headline":
      return "headline";
    case "error":
      return "error";
    default:
      return "normal";
  }
}
