// XEP-0030 2.5rc3: service discovery for the domain and, on their behalf, for accounts.
import { defineModule, type IqContext, type ModuleContext } from "../../core/module.ts";
import type { Element } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import type { DiscoApi, DiscoRequest } from "./api.ts";
import { decodeQueryNode, encodeInfo, encodeItems } from "./codec.ts";
import { declaredInfo, mergeInfo, type DiscoTarget } from "./collect.ts";
import { DiscoProviders } from "./providers.ts";

export type { DiscoApi, DiscoRequest, DiscoItem, DiscoInfo, ItemsProvider, InfoProvider, DiscoTarget } from "./api.ts";

const SELF_FEATURES = [NS.DISCO_INFO, NS.DISCO_ITEMS];

/**
 * Like Prosody, an account's disco is answered for the account itself and for contacts it has granted a
 * presence subscription to (subscription `from` or `both`); anyone else gets service-unavailable, as if
 * nothing were there, so disco reveals no more than presence does.
 */
async function mayQueryAccount(ctx: ModuleContext, iq: IqContext): Promise<boolean> {
  if (iq.toSelf) return true;
  const item = await ctx.storage.rosters.getItem(iq.to.domain, iq.to.local!, iq.from.bareString());
  return item !== undefined && (item.subscription === "from" || item.subscription === "both");
}

export default defineModule<DiscoApi>({
  name: "disco",
  xeps: [{ xep: 30, version: "2.5rc3" }],
  setup(ctx) {
    const providers = new DiscoProviders();

    const request = (iq: IqContext, query: Element): DiscoRequest => ({
      from: iq.from,
      to: iq.to,
      node: decodeQueryNode(query),
      origin: iq.origin,
    });

    const info = async (target: DiscoTarget, iq: IqContext, query: Element): Promise<Element> => {
      if (target === "account" && !(await mayQueryAccount(ctx, iq))) throw new StanzaError("service-unavailable");
      const req = request(iq, query);
      if (req.node !== "") {
        if (!providers.has(target, req.node)) throw new StanzaError("item-not-found", "No such node");
        return encodeInfo(mergeInfo(await providers.infoFor(target, req)), req.node);
      }
      const own = target === "account" ? [{ identities: [{ category: "account", type: "registered" }] }] : [];
      return encodeInfo(mergeInfo([...own, declaredInfo(ctx.modules(), target), ...(await providers.infoFor(target, req))]), "");
    };

    const items = async (target: DiscoTarget, iq: IqContext, query: Element): Promise<Element> => {
      if (target === "account" && !(await mayQueryAccount(ctx, iq))) throw new StanzaError("service-unavailable");
      const req = request(iq, query);
      if (req.node !== "" && !providers.has(target, req.node)) throw new StanzaError("item-not-found", "No such node");
      return encodeItems(await providers.itemsFor(target, req), req.node);
    };

    return {
      api: providers,
      iq: [
        { type: "get", ns: NS.DISCO_INFO, name: "query", scope: "host", handler: (iq, q) => info("host", iq, q) },
        { type: "get", ns: NS.DISCO_INFO, name: "query", scope: "account", handler: (iq, q) => info("account", iq, q) },
        { type: "get", ns: NS.DISCO_ITEMS, name: "query", scope: "host", handler: (iq, q) => items("host", iq, q) },
        { type: "get", ns: NS.DISCO_ITEMS, name: "query", scope: "account", handler: (iq, q) => items("account", iq, q) },
      ],
      disco: {
        identities: [{ category: "server", type: "im", name: "Hearth" }],
        features: SELF_FEATURES,
        accountFeatures: SELF_FEATURES,
      },
    };
  },
});
