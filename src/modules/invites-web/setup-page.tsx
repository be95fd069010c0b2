// invites.md §10.5: install the app, then hand it the invite URI ("Accept invite using APP").
import type { Translator } from "../../http/i18n/index.ts";
import type { App } from "../register-apps/app.ts";
import { appText, DownloadButtons } from "./app-card.tsx";
import { invitePath } from "./paths.ts";
import { setupWording, type InviteFacts, type Wording } from "./wording.ts";

export interface SetupProps {
  t: Translator;
  wording: Wording;
  facts: InviteFacts;
  token: string;
  uri: string;
  app: App;
}

export function setupTitle(t: Translator, wording: Wording, facts: InviteFacts, app: App): string {
  return t(`setup.${setupWording(wording)}.title`, { ...facts, app: app.name });
}

export function SetupBody(props: SetupProps) {
  const { t, app, facts } = props;
  const w = setupWording(props.wording);
  const p = { ...facts, app: app.name };
  return (
    <article class="setup">
      <p>
        <a href={invitePath(props.token)}>{t("setup.back")}</a>
      </p>
      <h1>{setupTitle(t, props.wording, facts, app)}</h1>
      <div class="app app-summary" data-app={app.id}>
        <header>
          <img src={app.image} alt="" width="48" height="48" />
          <h2>{app.name}</h2>
        </header>
        {appText(t, app) ? <p>{appText(t, app)}</p> : null}
      </div>
      <section class="step">
        <h2>{t("setup.step1", p)}</h2>
        <p>{app.downloadText ?? t("setup.downloadText", p)}</p>
        <DownloadButtons app={app} />
      </section>
      <section class="step">
        <h2>{t(`setup.${w}.step2`, p)}</h2>
        <p>{t(`setup.${w}.step2Text`, p)}</p>
        <p>
          <a class="button" href={props.uri} data-action="accept">
            {t(`setup.${w}.accept`, p)}
          </a>
        </p>
      </section>
    </article>
  );
}
