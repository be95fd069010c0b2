// Renders a full page in the shared layout, and the plain pages for errors.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Config } from "../core/config/index.ts";
import { Page } from "./layout.tsx";
import type { HttpEnv } from "./types.ts";

export function siteName(config: Config, host: string): string {
  return config.http.siteName || host;
}

export function renderPage(
  c: Context<HttpEnv>,
  config: Config,
  opts: { title: string; body: Child; head?: Child; status?: ContentfulStatusCode },
): Response | Promise<Response> {
  const t = c.get("t");
  const page = (
    <Page
      lang={c.get("lang")}
      title={opts.title}
      siteName={siteName(config, c.get("host"))}
      poweredBy={t("layout.poweredBy")}
      skipLabel={t("layout.skip")}
      head={opts.head}
    >
      {opts.body}
    </Page>
  );
  return c.html("<!doctype html>" + page.toString(), opts.status ?? 200);
}

/** A page with a heading and one paragraph, for errors. */
export function messagePage(c: Context<HttpEnv>, config: Config, key: string, status: ContentfulStatusCode): Response | Promise<Response> {
  const t = c.get("t");
  return renderPage(c, config, {
    title: t(`page.${key}.title`),
    status,
    body: (
      <>
        <h1>{t(`page.${key}.title`)}</h1>
        <p>{t(`page.${key}.text`)}</p>
      </>
    ),
  });
}
