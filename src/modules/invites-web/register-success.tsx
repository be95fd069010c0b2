// invites.md §11.2 step 9: after a web registration, the new address and how to sign in from the chosen app
// (or from any app); after a reset, the confirmation. The password is never shown.
import type { Translator } from "../../http/i18n/index.ts";
import type { App } from "../register-apps/app.ts";
import { appText, DownloadButtons } from "./app-card.tsx";
import { PlatformNote } from "./platform-note.tsx";

/** A message with the address in it, the address set apart. */
function WithJid(props: { text: string; jid: string }) {
  const [before, ...rest] = props.text.split("{jid}");
  return (
    <>
      {before}
      {rest.length > 0 ? <strong class="address" data-jid="">{props.jid}</strong> : null}
      {rest.join(props.jid)}
    </>
  );
}

export interface RegisterSuccessProps {
  t: Translator;
  site: string;
  jid: string;
  app: App | undefined;
  /** The catalogue, offered when no app was chosen. */
  apps: readonly App[];
}

function AppSteps(props: { t: Translator; app: App; jid: string }) {
  const { t, app, jid } = props;
  const p = { app: app.name };
  return (
    <>
      <section class="step" aria-labelledby="step1-heading">
        <h2 id="step1-heading">{t("register.success.step1", p)}</h2>
        <div class="app app-summary" data-app={app.id}>
          <header>
            <img src={app.image} alt="" width="48" height="48" />
            <h3>{app.name}</h3>
          </header>
        </div>
        <p>{app.downloadText ?? t("register.success.download", p)}</p>
        <DownloadButtons app={app} />
      </section>
      <section class="step" aria-labelledby="step2-heading">
        <h2 id="step2-heading">{t("register.success.step2")}</h2>
        <p>{app.setupText !== undefined ? app.setupText : <WithJid text={t("register.success.signInApp", p)} jid={jid} />}</p>
      </section>
    </>
  );
}


function AnyApp(props: { t: Translator; jid: string; apps: readonly App[] }) {
  const { t } = props;
  return (
    <section aria-labelledby="apps-heading">
      <h2 id="apps-heading">{t("register.success.anyApp.heading")}</h2>
      <p>
        <WithJid text={t("register.success.anyApp.text")} jid={props.jid} />
      </p>
      <PlatformNote t={t} />
      <ul class="apps" data-app-list="">
        {props.apps.map((app) => (
          <li class="app" data-platforms={app.platforms.join(" ")} data-app={app.id}>
            <header>
              <img src={app.image} alt="" width="48" height="48" />
              <h3>
                <a href={app.link} rel="noopener noreferrer">
                  {app.name}
                </a>
              </h3>
            </header>
            {app.platforms.length > 0 ? <p class="platforms">{app.platforms.map((p) => t(`platform.${p}`)).join(" · ")}</p> : null}
            {appText(t, app) ? <p>{appText(t, app)}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function RegisterSuccess(props: RegisterSuccessProps) {
  const { t, jid } = props;
  return (
    <article class="register-success">
      <h1>{t("register.success.heading", { site: props.site })}</h1>
      <p class="lead">
        <WithJid text={t("register.success.address")} jid={jid} />
      </p>
      <p>{t("register.success.password")}</p>
      {props.app !== undefined ? <AppSteps t={t} app={props.app} jid={jid} /> : <AnyApp t={t} jid={jid} apps={props.apps} />}
    </article>
  );
}

export function ResetSuccess(props: { t: Translator; jid: string }) {
  const { t } = props;
  return (
    <article class="register-success">
      <h1>{t("register.resetDone.title")}</h1>
      <p class="lead">
        <WithJid text={t("register.resetDone.text")} jid={props.jid} />
      </p>
    </article>
  );
}
