// "Showing apps for <platform> only. Show all apps": hearth.js fills it in and reveals it; hidden without JavaScript.
import { PLATFORMS } from "../../core/config/schema-apps.ts";
import type { Translator } from "../../http/i18n/index.ts";

export function PlatformNote(props: { t: Translator }) {
  const { t } = props;
  const [before, after] = t("invite.apps.showingFor").split("{platform}");
  const labels = Object.fromEntries(PLATFORMS.map((p) => [`data-label-${p}`, t(`platform.${p}`)]));
  return (
    <p class="platform-note" data-platform-note="" hidden>
      {before}
      <strong data-platform-name=""></strong>
      {after}{" "}
      <button type="button" class="link" data-show-all="" hidden {...labels}>
        {t("invite.apps.showAll")}
      </button>
    </p>
  );
}
