// XEP-0077 2.4: in-band registration, password change and account removal (spec invites.md §7.3).
import { defineModule, type IqContext, type PreAuthIqContext } from "../../core/module.ts";
import type { Session } from "../../core/session.ts";
import type { UserRegistering } from "../../core/events.ts";
import { type Element, x } from "../../xml/element.ts";
import { NS } from "../../xmpp/namespaces.ts";
import { StanzaError } from "../../xmpp/stanza-error.ts";
import { StreamError } from "../../xmpp/stream-error.ts";
import { JidError, prepLocalpart } from "../../xmpp/jid.ts";
import type { AccountsApi } from "../accounts/api.ts";
import { ENCRYPTION_REQUIRED, INVITATION_ONLY, type InviteProvider, type RegisterApi } from "./api.ts";
import { missingFields, readSubmission, registeredAnswer, registrationForm } from "./form.ts";

export type { InviteForRegistration, InviteProvider, RegisterApi } from "./api.ts";
export { ENCRYPTION_REQUIRED, INVITATION_ONLY } from "./api.ts";

export default defineModule<RegisterApi>({
  name: "register",
  depends: ["accounts"],
  xeps: [
    {
      xep: 77,
      version: "2.4",
      note: "registration, password change and cancellation; only on encrypted streams unless tls.policy is optional",
    },
  ],
  setup(ctx) {
    const { config } = ctx;
    const accounts = ctx.use<AccountsApi>("accounts");
    const providers: InviteProvider[] = [];

    const api: RegisterApi = {
      enabled: () => config.registration.allowRegistration || config.registration.inviteOnly,
      needsEncryption: (session) => !session.secure && config.tls.policy === "required",
      offered: (session) => !session.authenticated && api.enabled() && !api.needsEncryption(session),
      addInviteProvider(provider) {
        providers.push(provider);
        return () => {
          const i = providers.indexOf(provider);
          if (i >= 0) providers.splice(i, 1);
        };
      },
    };

    /** §7.3 errors 1–2, in Prosody's order, for every pre-auth request. */
    const admit = (session: Session): void => {
      if (!api.enabled()) throw new StanzaError("service-unavailable");
      if (api.needsEncryption(session)) throw new StanzaError("policy-violation", ENCRYPTION_REQUIRED, "modify");
    };

    const inviteOf = (session: Session) => {
      for (const p of providers) {
        const found = p(session);
        if (found) return found;
      }
      return undefined;
    };

    const register = async ({ session }: PreAuthIqContext, query: Element): Promise<undefined> => {
      admit(session);
      const sub = readSubmission(query);
      if (sub.remove) throw new StanzaError("registration-required", undefined, "auth");
      const missing = missingFields(sub);
      if (missing) throw new StanzaError("not-acceptable", missing, "modify");
      const found = inviteOf(session);
      const result = await accounts.register({
        host: session.host,
        username: sub.username!,
        password: sub.password!,
        ip: session.ip,
        via: "ibr",
        invite: found?.invite,
        step: found?.step,
      });
      if (!result.ok) throw result.error;
      return undefined;
    };

    /** §3.3: a password change by the logged-in owner; `username` must name the account itself. */
    const changePassword = async (iq: IqContext, query: Element): Promise<undefined> => {
      const sub = readSubmission(query);
      if (sub.username === undefined || sub.password === undefined || sub.password === "") {
        throw new StanzaError("bad-request", "Both username and password are required", "modify");
      }
      let username: string;
      try {
        username = prepLocalpart(sub.username.trim());
      } catch (e) {
        if (!(e instanceof JidError)) throw e;
        throw new StanzaError("bad-request", "The username does not match this account", "modify");
      }
      if (username !== iq.from.local) throw new StanzaError("bad-request", "The username does not match this account", "modify");
      const result = await accounts.changePassword(iq.from.domain, username, sub.password);
      if (!result.ok) throw result.error;
      return undefined;
    };

    /** §3.2: the owner cancels the registration; the reply goes out before the streams of the account close. */
    const remove = async (iq: IqContext): Promise<undefined> => {
      const { domain: host, local: username } = iq.from;
      if (!(await accounts.deleteAccount(host, username!))) {
        throw new StanzaError("internal-server-error", "The account could not be removed", "wait");
      }
      iq.origin?.send(x("iq", { type: "result", id: iq.stanza.attrs.id, from: iq.to.toString(), to: iq.from.toString() }));
      const gone = new StreamError("not-authorized", "Account deleted");
      iq.origin?.close(gone);
      for (const s of [...ctx.sessions.resources(iq.from.bareString())]) s.close(gone);
      return undefined;
    };

    /** A request about the sender's own account: to its bare JID, or to its domain. */
    const own = (iq: IqContext): boolean =>
      iq.toSelf || (iq.to.local === undefined && iq.from.local !== undefined && iq.from.domain === iq.to.domain && iq.origin !== undefined);

    /** Defence in depth: without the invites module, an invite-only server must still refuse uninvited users. */
    const inviteOnly = (p: UserRegistering): void => {
      if (p.veto || p.via !== "ibr" || p.invite || !config.registration.inviteOnly) return;
      p.veto = new StanzaError("not-acceptable", INVITATION_ONLY, "modify");
    };

    return {
      api,
      preAuthIq: [
        {
          type: "get",
          ns: NS.REGISTER,
          name: "query",
          handler: ({ session }) => {
            admit(session);
            return registrationForm();
          },
        },
        { type: "set", ns: NS.REGISTER, name: "query", handler: register },
      ],
      // To one's own bare JID (XEP-0077 §3.2–3.3), or to the domain as some clients address it.
      iq: (["account", "host"] as const).flatMap((scope) => [
        {
          type: "get" as const,
          ns: NS.REGISTER,
          name: "query",
          scope,
          handler: (iq: IqContext) => {
            if (!own(iq)) throw new StanzaError("service-unavailable");
            return registeredAnswer(iq.from.local!);
          },
        },
        {
          type: "set" as const,
          ns: NS.REGISTER,
          name: "query",
          scope,
          handler: (iq: IqContext, query: Element) => {
            if (!own(iq)) throw new StanzaError("service-unavailable");
            return query.getChild("remove", NS.REGISTER) ? remove(iq) : changePassword(iq, query);
          },
        },
      ]),
      streamFeatures: [
        { stage: "pre-auth", element: (session) => (api.offered(session) ? x("register", { xmlns: NS.REGISTER_FEATURE }) : undefined) },
      ],
      // After the invite checks (which say the same), before the accounts module's throttle (-100).
      hooks: { "user-registering": { priority: -50, handler: inviteOnly } },
      disco: { features: [NS.REGISTER] },
    };
  },
});
