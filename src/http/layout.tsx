// The page shell every HTML page shares: language, title, our own stylesheet and script, no inline code.
import type { Child } from "hono/jsx";

export interface PageProps {
  lang: string;
  title: string;
  siteName: string;
  poweredBy: string;
  skipLabel: string;
  /** Extra <head> children, such as <link rel="alternate">. */
  head?: Child;
  children?: Child;
}

export function Page(props: PageProps) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/static/hearth.css" />
        <script src="/static/hearth.js" defer></script>
        {props.head}
      </head>
      <body>
        <a class="skip" href="#main">
          {props.skipLabel}
        </a>
        <header class="site">
          <span class="site-name">{props.siteName}</span>
        </header>
        <main id="main">{props.children}</main>
        <footer class="site">{props.poweredBy}</footer>
      </body>
    </html>
  );
}
