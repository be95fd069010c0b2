// invites.md §10.2 [OURS]: one page, status and body for unknown, used, expired, revoked and malformed tokens.
import type { Context } from "hono";
import type { Config } from "../../core/config/index.ts";
import { renderPage } from "../../http/render.tsx";
import type { HttpEnv } from "../../http/types.ts";

export function invalidInvitePage(c: Context<HttpEnv>, config: Config): Response | Promise<Response> {
  const t = c.get("t");
  return renderPage(c, config, {
    title: t("invite.invalid.title"),
    status: 404,
    body: (
      <article class="invite-invalid">
        <h1>{t("invite.invalid.title")}</h1>
        <p>{t("invite.invalid.text")}</p>
      </article>
    ),
  });
}
