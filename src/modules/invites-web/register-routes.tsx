// invites.md §11 (mod_invites_register_web): GET and POST /register?t=TOKEN[&c=APP], the registration form and,
// for reset invites, the new-password form; CSRF-checked, throttled with the other token surfaces (§15.1).
import { randomBytes } from "node:crypto";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { csrfToken, csrfValid, CSRF_FIELD } from "../../http/csrf.ts";
import { messagePage, renderPage, siteName } from "../../http/render.tsx";
import type { HttpEnv } from "../../http/types.ts";
import { prepLocalpart } from "../../xmpp/jid.ts";
import type { ValidInvite } from "../invites/api.ts";
import { landingPage } from "../invites/landing.ts";
import { invitePath } from "./paths.ts";
import { registrationLookup, type RegistrationDeps } from "./register-deps.ts";
import { RegisterForm, type FormState } from "./register-form.tsx";
import { classify, P, problemText, type FieldName } from "./register-outcome.ts";
import { RegisterSuccess, ResetSuccess } from "./register-success.tsx";
import { ResetForm } from "./reset-form.tsx";
import "./register-messages.ts";

type C = Context<HttpEnv>;

/** invites.md §11.2: what upstream sends with the success page; here on every answer, as they all carry a token. */
export const NO_CACHE_HEADERS = { "Cache-Control": "no-cache, no-store, must-revalidate", Pragma: "no-cache", Expires: "0" } as const;

function noCache(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(NO_CACHE_HEADERS)) c.res.headers.set(name, value);
  };
}

/** A browser form's fields; anything but a urlencoded body has none (and so fails the CSRF check). */
async function readForm(c: C): Promise<URLSearchParams> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) return new URLSearchParams();
  return new URLSearchParams(await c.req.text());
}

const STATUS = { invalid: 400, taken: 409, refused: 403 } as const;

export function registerRoutes(deps: RegistrationDeps): Hono<HttpEnv> {
  const { config, log, invites, accounts, apps } = deps;
  const lookup = registrationLookup(deps);
  const minLength = Math.max(1, config.registration.minPasswordLength);
  const r = new Hono<HttpEnv>();
  r.use("*", noCache());

  /** Where a token that is not (or no longer) good for registering goes: its landing page, which says so. */
  const toLanding = (c: C, token: string) => {
    if (token === "") return c.redirect("/invite", 303);
    return c.redirect(landingPage(config.invites.pageUrl, c.get("host"), token) ?? invitePath(token), 303);
  };

  const tooMany = async (c: C) => {
    const res = await messagePage(c, config, "tooMany", 429);
    res.headers.set("Retry-After", String(config.invites.tokenFailures.windowSeconds));
    return res;
  };

  const resolve = async (c: C, token: string): Promise<ValidInvite | Response> => {
    const found = await lookup(c, token);
    if (found.status === "blocked") return tooMany(c);
    if (found.status === "invalid") return toLanding(c, token);
    return found.valid;
  };

  const show = (c: C, valid: ValidInvite, appId: string | undefined, state: FormState, status: ContentfulStatusCode = 200) => {
    const t = c.get("t");
    const { record } = valid;
    const host = record.host;
    const app = appId !== undefined ? apps.get(appId) : undefined;
    const hidden = { token: valid.token, csrf: csrfToken(c), appId: app?.id };
    if (record.resetUsername !== undefined) {
      return renderPage(c, config, {
        title: t("register.reset.title"),
        status,
        body: <ResetForm t={t} host={host} username={record.resetUsername} minLength={minLength} state={state} {...hidden} />,
      });
    }
    const site = siteName(config, host);
    return renderPage(c, config, {
      title: t("register.title", { site }),
      status,
      body: (
        <RegisterForm
          t={t}
          site={site}
          host={host}
          app={app}
          inviter={record.type === "roster" && record.inviter !== undefined ? `${record.inviter}@${host}` : undefined}
          boundUsername={record.type === "register" ? record.boundUsername : undefined}
          uri={invites.uriFor(record, valid.token)}
          minLength={minLength}
          state={state}
          {...hidden}
        />
      ),
    });
  };

  r.get("/", async (c) => {
    const token = c.req.query("t") ?? "";
    const valid = await resolve(c, token);
    if (valid instanceof Response) return valid;
    return show(c, valid, c.req.query("c"), {});
  });

  r.post("/", async (c) => {
    const form = await readForm(c);
    if (!csrfValid(c, form.get(CSRF_FIELD))) return messagePage(c, config, "forbiddenForm", 403);
    const token = form.get("token") ?? "";
    const valid = await resolve(c, token);
    if (valid instanceof Response) return valid;
    const t = c.get("t");
    const appId = form.get("app_id") ?? undefined;
    const resetFor = valid.record.resetUsername;
    // A reset changes exactly its account, whatever the (read-only) field says. Space around a name typed on
    // a phone keyboard is never meant.
    const user = resetFor ?? (form.get("user") ?? "").trim();
    const password = form.get("password") ?? "";
    const confirm = form.get("password_confirm") ?? "";
    const state: FormState = { user: resetFor === undefined ? user : undefined };

    if (user === "" || password === "" || confirm === "") {
      return show(c, valid, appId, { ...state, formError: problemText(t, P.empty) }, 400);
    }
    const errors: Partial<Record<FieldName, string>> = {};
    try {
      prepLocalpart(user);
    } catch {
      errors.user = problemText(t, P.badUsername);
    }
    if (password !== confirm) errors.password_confirm = problemText(t, P.mismatch);
    if (Object.keys(errors).length > 0) return show(c, valid, appId, { ...state, errors }, 400);

    const { invite, step } = invites.forRegistration(valid, { checkExpiry: true });
    const result = await accounts.register({ host: valid.record.host, username: user, password, ip: c.get("clientIp"), via: "web", invite, step });

    if (result.ok) {
      const jid = `${result.username}@${result.host}`;
      if (result.reset) {
        return renderPage(c, config, { title: t("register.resetDone.title"), body: <ResetSuccess t={t} jid={jid} /> });
      }
      const app = appId !== undefined ? apps.get(appId) : undefined;
      return renderPage(c, config, {
        title: t("register.success.title"),
        body: <RegisterSuccess t={t} site={siteName(config, result.host)} jid={jid} app={app} apps={apps.list()} />,
      });
    }

    const failure = classify(result.error);
    switch (failure.kind) {
      case "used":
        // Another registration (the XMPP one, another tab) used the invite up first.
        return toLanding(c, token);
      case "throttled": {
        const res = await renderPage(c, config, {
          title: t("register.throttled.title"),
          status: 429,
          body: (
            <>
              <h1>{t("register.throttled.title")}</h1>
              <p>{t("register.throttled.text")}</p>
            </>
          ),
        });
        res.headers.set("Retry-After", String(config.registration.throttlePeriodSeconds));
        return res;
      }
      case "internal": {
        const id = randomBytes(4).toString("hex");
        log.error({ errorId: id, condition: result.error.condition }, "web registration failed");
        return renderPage(c, config, {
          title: t("register.error.unknown.title"),
          status: 500,
          body: (
            <>
              <h1>{t("register.error.unknown.title")}</h1>
              <p>{t("register.error.unknown.text", { id })}</p>
            </>
          ),
        });
      }
      default: {
        const message = problemText(t, failure.problem);
        const next: FormState = failure.field === undefined ? { ...state, formError: message } : { ...state, errors: { [failure.field]: message } };
        return show(c, valid, appId, next, STATUS[failure.kind]);
      }
    }
  });

  return r;
}
