// [apps]: which chat apps the invite pages offer (invites.md §17): built-in ones kept or hidden, others added.
import { z } from "zod";
import { table } from "./schema-common.ts";

export const PLATFORMS = ["android", "ios", "macos", "windows", "linux", "haiku", "web"] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface DownloadButtonConfig {
  text: string;
  url: string;
}

/** One app as the configuration gives it (ids derived, platforms lower-cased). */
export interface AppEntryConfig {
  id: string;
  name: string;
  text: string;
  /** A path on this server (the pages' CSP allows images from here only); empty = the built-in logo or a generic one. */
  image: string;
  link: string;
  platforms: Platform[];
  /** The app takes `xmpp:…?register;preauth=…` URIs (XEP-0401/0445). */
  supportsPreauthUri: boolean;
  /** An https URL template handing the invite to the installer; `{uri}` is the URL-encoded invite URI. Empty: none. */
  magicLinkFormat: string;
  downloadText: string;
  downloads: DownloadButtonConfig[];
  /** What to do in the app after registering on the web. */
  setupText: string;
}

export interface AppsConfig {
  /** Ids of the apps to list; empty = all. */
  show: string[];
  /** Ids never to list. */
  hide: string[];
  /** Apps added, or replacing a built-in one with the same id. */
  extra: AppEntryConfig[];
}

const ID = /^[a-z0-9_][a-z0-9_-]{0,63}$/;
const ID_MESSAGE = "must be 1 to 64 characters of a-z, 0-9, _ and -, not starting with -";

/** Prosody's rule: the name lower-cased, runs of other characters turned into "-" ("Siskin IM" → "siskin-im"). */
export function appIdFromName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\W+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

function scheme(s: string): string | undefined {
  try {
    return new URL(s).protocol;
  } catch {
    return undefined;
  }
}

/** An absolute URL with one of the schemes; the error names the scheme it got (javascript:, data:…). */
function urlWith(schemes: readonly string[]) {
  const allowed = schemes.map((s) => `${s}:`).join(" or ");
  return z.string().superRefine((s, ctx) => {
    const got = scheme(s);
    if (got === undefined) ctx.addIssue({ code: "custom", message: `must be an absolute ${allowed} URL, got ${JSON.stringify(s)}` });
    else if (!schemes.includes(got.slice(0, -1))) ctx.addIssue({ code: "custom", message: `must be an ${allowed} URL; ${got} is not allowed` });
    else if (/[\s<>"]/.test(s)) ctx.addIssue({ code: "custom", message: "must not contain spaces, quotes or angle brackets" });
  });
}

const webUrl = urlWith(["https", "http"]);

const magicLink = z.string().superRefine((s, ctx) => {
  if (s === "") return;
  const filled = s.replaceAll("{uri}", "xmpp%3Aexample.org");
  if (scheme(filled) !== "https:") ctx.addIssue({ code: "custom", message: `must be an https: URL template with {uri}, got ${JSON.stringify(s)}` });
  else if (/[\s<>"]/.test(s)) ctx.addIssue({ code: "custom", message: "must not contain spaces, quotes or angle brackets" });
});

const imagePath = z
  .string()
  .regex(/^(?:\/(?![/\\])[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?$/, {
    message: "must be a path on this server such as /static/apps/default.svg (the pages may show images from this server only)",
  });

const platform = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(PLATFORMS));

const text = (max: number) => z.string().max(max);

const extraApp = table({
  id: z.string().regex(ID, { message: ID_MESSAGE }).optional(),
  name: z.string().trim().min(1).max(100),
  text: text(1000).default(""),
  image: imagePath.default(""),
  link: webUrl,
  platforms: z.array(platform).default([]),
  supports_preauth_uri: z.boolean().default(false),
  magic_link_format: magicLink.default(""),
  download_text: text(1000).default(""),
  downloads: z.array(table({ text: z.string().trim().min(1).max(100), url: webUrl })).default([]),
  setup_text: text(2000).default(""),
}).transform((entry, ctx): AppEntryConfig => {
  const id = entry.id ?? appIdFromName(entry.name);
  if (!ID.test(id)) ctx.addIssue({ code: "custom", path: ["name"], message: "no app id can be made from this name; give an id" });
  return { ...entry, id, platforms: [...new Set(entry.platforms)] };
});

const appId = z.string().regex(ID, { message: ID_MESSAGE });

export const appsSection: z.ZodType<AppsConfig> = table({
  show: z.array(appId).default([]),
  hide: z.array(appId).default([]),
  extra: z
    .array(extraApp)
    .superRefine((apps, ctx) => {
      const seen = new Map<string, number>();
      apps.forEach((a, i) => {
        const first = seen.get(a.id);
        if (first === undefined) seen.set(a.id, i);
        else ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate app id "${a.id}" (also apps.extra[${first}])` });
      });
    })
    .default([]),
}).prefault({});
