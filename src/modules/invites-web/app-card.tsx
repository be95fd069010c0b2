// One app on an invite page: logo, name, platforms, description and the button that takes the invite further.
import type { Translator } from "../../http/i18n/index.ts";
import type { App } from "../register-apps/app.ts";
import type { AppAction } from "./paths.ts";

export function appText(t: Translator, app: App): string {
  return app.builtin ? t(`app.${app.id}.text`) : app.text;
}

const LABEL: Record<AppAction["kind"], string> = {
  magic: "invite.app.install",
  setup: "invite.app.select",
  register: "invite.app.select",
  website: "invite.app.website",
};

export function AppCard(props: { t: Translator; app: App; action?: AppAction }) {
  const { t, app, action } = props;
  const external = action !== undefined && (action.kind === "magic" || action.kind === "website");
  return (
    <li class="app" data-platforms={app.platforms.join(" ")} data-app={app.id}>
      <header>
        <img src={app.image} alt="" width="48" height="48" />
        <h3>{app.name}</h3>
      </header>
      {app.platforms.length > 0 ? (
        <p class="platforms">
          <span class="visually-hidden">{t("invite.app.platforms")} </span>
          {app.platforms.map((p) => t(`platform.${p}`)).join(" · ")}
        </p>
      ) : null}
      {appText(t, app) ? <p>{appText(t, app)}</p> : null}
      {action ? (
        <p class="actions">
          <a class="button" href={action.href} data-action={action.kind} rel={external ? "noopener noreferrer" : undefined}>
            {t(LABEL[action.kind])}
            <span class="visually-hidden"> {app.name}</span>
          </a>
        </p>
      ) : null}
    </li>
  );
}

/** An app's download buttons (store pages, project pages), as on the setup and success pages. */
export function DownloadButtons(props: { app: App }) {
  return (
    <ul class="downloads">
      {props.app.downloads.map((d) => (
        <li>
          <a class="button secondary" href={d.url} rel="noopener noreferrer" data-action="download">
            {d.text}
          </a>
        </li>
      ))}
    </ul>
  );
}
