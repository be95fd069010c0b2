// invites.md §11.1: the web registration form. Labels for every field, errors next to their fields (linked with
// aria-describedby), passwords never echoed back; hearth.js only unhides the "show" buttons (data-reveal).
import type { Translator } from "../../http/i18n/index.ts";
import type { App } from "../register-apps/app.ts";
import type { FieldName } from "./register-outcome.ts";

/** What a re-rendered form shows: the username typed (never a password) and the messages, already translated. */
export interface FormState {
  user?: string;
  errors?: Partial<Record<FieldName, string>>;
  /** A problem with the form as a whole ("Please fill in all fields."). */
  formError?: string;
}

export interface HiddenProps {
  token: string;
  csrf: string;
  appId: string | undefined;
}

/** Upstream's limit for the username field (mod_invites_register_web). */
const USER_MAX = 30;

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === "string");
  return list.length > 0 ? list.join(" ") : undefined;
}

export function HiddenFields(props: HiddenProps) {
  return (
    <>
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="token" value={props.token} />
      {props.appId !== undefined ? <input type="hidden" name="app_id" value={props.appId} /> : null}
    </>
  );
}

export function ErrorSummary(props: { t: Translator; state: FormState }) {
  const { state } = props;
  const fieldErrors = Object.values(state.errors ?? {}).length > 0;
  if (state.formError === undefined && !fieldErrors) return null;
  return (
    <p class="error" role="alert" id="form-error">
      {state.formError ?? props.t("register.errorSummary")}
    </p>
  );
}

/** The username with the `@DOMAIN` suffix; read-only when the invite fixes it. */
export function UsernameField(props: { t: Translator; host: string; value: string; fixed: boolean; hint?: string; error?: string }) {
  const { t, error } = props;
  return (
    <div class="field">
      <label for="user">{t("register.field.user")}</label>
      <span class="suffix">
        <input
          type="text"
          id="user"
          name="user"
          value={props.value}
          required
          minlength={1}
          maxlength={props.fixed ? undefined : USER_MAX}
          readonly={props.fixed}
          autocomplete="username"
          autocapitalize="none"
          autocorrect="off"
          spellcheck={false}
          aria-invalid={error !== undefined ? "true" : undefined}
          aria-describedby={describedBy("user-suffix", props.hint !== undefined && "user-hint", error !== undefined && "user-error")}
        />
        <span class="domain" aria-hidden="true">
          @{props.host}
        </span>
      </span>
      <span class="visually-hidden" id="user-suffix">
        {t("register.field.suffix", { host: props.host })}
      </span>
      {props.hint !== undefined ? (
        <p class="hint" id="user-hint">
          {props.hint}
        </p>
      ) : null}
      {error !== undefined ? (
        <p class="field-error" id="user-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function PasswordField(props: { t: Translator; id: FieldName; label: string; showLabel: string; minLength: number; hint?: string; error?: string }) {
  const { t, id, error } = props;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <span class="with-button">
        <input
          type="password"
          id={id}
          name={id}
          required
          minlength={props.minLength}
          autocomplete="new-password"
          aria-invalid={error !== undefined ? "true" : undefined}
          aria-describedby={describedBy(props.hint !== undefined && `${id}-hint`, error !== undefined && `${id}-error`)}
        />
        <button type="button" class="secondary reveal" data-reveal={id} aria-controls={id} aria-pressed="false" aria-label={props.showLabel} hidden>
          {t("register.field.show")}
        </button>
      </span>
      {props.hint !== undefined ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {error !== undefined ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The new password, twice. */
export function PasswordFields(props: { t: Translator; minLength: number; state: FormState }) {
  const { t, minLength } = props;
  const errors = props.state.errors ?? {};
  return (
    <>
      <PasswordField
        t={t}
        id="password"
        label={t("register.field.password")}
        showLabel={t("register.field.showPassword")}
        minLength={minLength}
        hint={t("register.field.passwordHint", { min: minLength })}
        error={errors.password}
      />
      <PasswordField
        t={t}
        id="password_confirm"
        label={t("register.field.passwordConfirm")}
        showLabel={t("register.field.showPasswordConfirm")}
        minLength={minLength}
        error={errors.password_confirm}
      />
    </>
  );
}

export interface RegisterFormProps extends HiddenProps {
  t: Translator;
  site: string;
  host: string;
  /** The app chosen on the landing page, if any. */
  app: App | undefined;
  /** Bare JID of the inviter of a contact invite that also registers. */
  inviter: string | undefined;
  /** The username a bound invite fixes. */
  boundUsername: string | undefined;
  /** The invite's xmpp: URI, for apps that can take it. */
  uri: string;
  minLength: number;
  state: FormState;
}

export function RegisterForm(props: RegisterFormProps) {
  const { t, app, state } = props;
  const bound = props.boundUsername !== undefined;
  return (
    <article class="register">
      <h1>{t("register.title", { site: props.site })}</h1>
      <p class="lead">
        {t("register.intro", { host: props.host })}
        {props.inviter !== undefined ? ` ${t("register.introInviter", { inviter: props.inviter })}` : ""}
      </p>
      {app !== undefined ? <p>{t("register.introApp", { app: app.name })}</p> : null}
      {app?.supportsPreauthUri ? (
        <div class="notice open-app">
          <p>{t("register.openApp.text", { app: app.name })}</p>
          <p>
            <a class="button secondary" href={props.uri} data-action="open">
              {t("register.openApp.button", { app: app.name })}
            </a>
          </p>
          <p class="hint">{t("register.openApp.note", { app: app.name })}</p>
        </div>
      ) : null}
      <ErrorSummary t={t} state={state} />
      <form class="stack" method="post" action="/register">
        <HiddenFields token={props.token} csrf={props.csrf} appId={props.appId} />
        <UsernameField
          t={t}
          host={props.host}
          value={bound ? props.boundUsername! : (state.user ?? "")}
          fixed={bound}
          hint={bound ? t("register.field.userBound") : undefined}
          error={state.errors?.user}
        />
        <PasswordFields t={t} minLength={props.minLength} state={state} />
        <p>
          <button type="submit">{t("register.submit")}</button>
        </p>
      </form>
    </article>
  );
}
