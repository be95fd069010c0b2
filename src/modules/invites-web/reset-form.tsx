// invites.md §11.1 [OURS]: a reset invite's form, a new password for one fixed account.
import type { Translator } from "../../http/i18n/index.ts";
import { ErrorSummary, HiddenFields, PasswordFields, UsernameField, type FormState, type HiddenProps } from "./register-form.tsx";

export interface ResetFormProps extends HiddenProps {
  t: Translator;
  host: string;
  username: string;
  minLength: number;
  state: FormState;
}

export function ResetForm(props: ResetFormProps) {
  const { t, state } = props;
  return (
    <article class="register reset">
      <h1>{t("register.reset.heading", { jid: `${props.username}@${props.host}` })}</h1>
      <p class="lead">{t("register.reset.intro")}</p>
      <ErrorSummary t={t} state={state} />
      <form class="stack" method="post" action="/register">
        <HiddenFields token={props.token} csrf={props.csrf} appId={props.appId} />
        {/* Shown read-only, and so that password managers know which account the new password is for. */}
        <UsernameField t={t} host={props.host} value={props.username} fixed={true} error={state.errors?.user} />
        <PasswordFields t={t} minLength={props.minLength} state={state} />
        <p>
          <button type="submit">{t("register.reset.submit")}</button>
        </p>
      </form>
    </article>
  );
}
