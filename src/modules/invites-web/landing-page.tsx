// invites.md §10.2: the landing page of a valid invite. Works fully without JavaScript; hearth.js only
// puts the visitor's platform first (data-app-list, data-platforms, data-show-all, data-platform-note).
import { raw } from "hono/html";
import type { Translator } from "../../http/i18n/index.ts";
import type { App } from "../register-apps/app.ts";
import { AppCard } from "./app-card.tsx";
import { PlatformNote } from "./platform-note.tsx";
import { appAction, registerPath } from "./paths.ts";
import { headings, type InviteFacts, type Wording } from "./wording.ts";

export interface LandingProps {
  t: Translator;
  wording: Wording;
  facts: InviteFacts;
  token: string;
  /** The invite's xmpp: URI. */
  uri: string;
  apps: readonly App[];
  /** Inline SVG of the page's own URL. */
  qr: string;
}


function AppList(props: LandingProps & { heading: string; text?: string }) {
  const { t, apps, wording, token, uri } = props;
  return (
    <section class="choose-app" aria-labelledby="apps-heading">
      <h2 id="apps-heading">{props.heading}</h2>
      {props.text ? <p>{props.text}</p> : null}
      <PlatformNote t={t} />
      <ul class="apps" data-app-list="">
        {apps.map((app) => (
          <AppCard t={t} app={app} action={appAction(app, wording, token, uri)} />
        ))}
      </ul>
    </section>
  );
}

function QrBox(props: { t: Translator; qr: string }) {
  const { t } = props;
  return (
    <section class="qr-box" aria-labelledby="qr-heading">
      <h2 id="qr-heading">{t("invite.qr.heading")}</h2>
      <p>{t("invite.qr.text")}</p>
      <div class="qr" data-qr="">
        {raw(props.qr)}
      </div>
    </section>
  );
}

export function LandingBody(props: LandingProps) {
  const { t, wording, facts, token, uri } = props;
  const h = headings(t, wording, facts);
  const p = { ...facts };

  if (wording === "password-reset") {
    return (
      <article class="invite">
        <h1>{h.heading}</h1>
        <p class="lead">{h.intro}</p>
        <p>
          <a class="button" href={registerPath(token)} data-action="reset">
            {t("invite.password-reset.choose")}
          </a>
        </p>
        <p>{t("invite.password-reset.inApp")}</p>
        <p>
          <a class="button secondary" href={uri} data-action="open">
            {t("invite.password-reset.openApp")}
          </a>
        </p>
        <QrBox t={t} qr={props.qr} />
      </article>
    );
  }

  if (wording === "contact-only") {
    return (
      <article class="invite">
        <h1>{h.heading}</h1>
        <p class="lead">{h.intro}</p>
        <p>
          <a class="button" href={uri} data-action="open">
            {t("invite.contact-only.button", p)}
          </a>
        </p>
        <AppList {...props} heading={t("invite.contact-only.appsHeading")} text={t("invite.contact-only.appsText")} />
        <QrBox t={t} qr={props.qr} />
      </article>
    );
  }

  return (
    <article class="invite">
      <h1>{h.heading}</h1>
      <p class="lead">{h.intro}</p>
      <AppList {...props} heading={t("invite.apps.heading")} />
      <section class="open-app" aria-labelledby="open-heading">
        <h2 id="open-heading">{t("invite.openApp.heading")}</h2>
        <p>{t("invite.openApp.text")}</p>
        <p>
          <a class="button secondary" href={uri} data-action="open">
            {t("invite.openApp.button")}
          </a>
        </p>
      </section>
      <QrBox t={t} qr={props.qr} />
      <p class="web-register">
        {t("invite.web.text")}{" "}
        <a href={registerPath(token)} data-action="web-register">
          {t("invite.web.link")}
        </a>
      </p>
    </article>
  );
}
