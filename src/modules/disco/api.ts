// XEP-0030 2.5rc3: the public API other modules use to answer disco requests on nodes (e.g. XEP-0050 command lists).
import type { Jid } from "../../xmpp/jid.ts";
import type { Session } from "../../core/session.ts";
import type { DiscoInfo, DiscoItem } from "./codec.ts";
import type { DiscoTarget } from "./collect.ts";

export type { DiscoInfo, DiscoItem } from "./codec.ts";
export type { DiscoTarget } from "./collect.ts";

export interface DiscoRequest {
  /** Who asks (full JID for a local client). */
  from: Jid;
  /** Whom it asks: the domain, or an account's bare JID. */
  to: Jid;
  /** "" for the entity itself, else the `node` attribute. */
  node: string;
  origin: Session | undefined;
}

/** Items for a node; may depend on who asks (an admin sees more commands). Throw a StanzaError to refuse. */
export type ItemsProvider = (req: DiscoRequest) => readonly DiscoItem[] | Promise<readonly DiscoItem[]>;
/** Identities, features and XEP-0128 forms for a node; merged with the other providers of that node. */
export type InfoProvider = (req: DiscoRequest) => Partial<DiscoInfo> | Promise<Partial<DiscoInfo>>;

export interface DiscoApi {
  /**
   * Adds items to `node` ("" = the entity's own item list) on the domain (default) or on every account.
   * A node with at least one provider exists; any other non-empty node answers item-not-found.
   * Returns a function that removes the provider.
   */
  addItemsProvider(node: string, fn: ItemsProvider, target?: DiscoTarget): () => void;
  /** Adds info for `node` ("" adds to the entity's own info, e.g. an XEP-0128 form). Returns a remover. */
  addInfoProvider(node: string, fn: InfoProvider, target?: DiscoTarget): () => void;
}
