// The apps Hearth knows today (invites.md §17.2; facts from docs on which clients take invite URIs).
import { logoPath, type App } from "./app.ts";

const play = (pkg: string) => `https://play.google.com/store/apps/details?id=${pkg}`;
const fdroid = (pkg: string) => `https://f-droid.org/packages/${pkg}/`;

type Entry = Omit<App, "image" | "builtin" | "magicLinkFormat" | "downloadText" | "setupText"> & { magicLinkFormat?: string };

const ENTRIES: Entry[] = [
  {
    id: "conversations",
    name: "Conversations",
    text: "A popular, easy app for Android with end-to-end encryption.",
    link: "https://conversations.im/",
    platforms: ["android"],
    supportsPreauthUri: true,
    // Google Play's install referrer: the freshly installed app finds the invite waiting.
    magicLinkFormat: `${play("eu.siacs.conversations")}&referrer={uri}`,
    downloads: [
      { text: "Google Play", url: play("eu.siacs.conversations") },
      { text: "F-Droid", url: fdroid("eu.siacs.conversations") },
    ],
  },
  {
    id: "snikket-android",
    name: "Snikket",
    text: "The Snikket app for Android, made for Snikket servers and working with any XMPP server.",
    link: "https://snikket.org/app/android/",
    platforms: ["android"],
    supportsPreauthUri: true,
    magicLinkFormat: `${play("org.snikket.android")}&referrer={uri}`,
    downloads: [
      { text: "Google Play", url: play("org.snikket.android") },
      { text: "F-Droid", url: fdroid("org.snikket.android") },
    ],
  },
  {
    id: "snikket-ios",
    name: "Snikket",
    text: "The Snikket app for iPhone and iPad.",
    link: "https://snikket.org/app/ios/",
    platforms: ["ios"],
    supportsPreauthUri: true,
    downloads: [{ text: "snikket.org", url: "https://snikket.org/app/ios/" }],
  },
  {
    id: "monal",
    name: "Monal",
    text: "A chat app for iPhone, iPad and Mac.",
    link: "https://monal-im.org/",
    platforms: ["ios", "macos"],
    supportsPreauthUri: true,
    downloads: [{ text: "monal-im.org", url: "https://monal-im.org/" }],
  },
  {
    id: "siskin-im",
    name: "Siskin IM",
    text: "A lightweight chat app for iPhone and iPad.",
    link: "https://siskin.im/",
    platforms: ["ios"],
    supportsPreauthUri: true,
    downloads: [{ text: "siskin.im", url: "https://siskin.im/" }],
  },
  {
    id: "yaxim",
    name: "yaxim",
    text: "A lean XMPP app for Android.",
    link: "https://yaxim.org/",
    platforms: ["android"],
    supportsPreauthUri: true,
    magicLinkFormat: `${play("org.yaxim.androidclient")}&referrer={uri}`,
    downloads: [
      { text: "Google Play", url: play("org.yaxim.androidclient") },
      { text: "F-Droid", url: fdroid("org.yaxim.androidclient") },
    ],
  },
  {
    id: "beagle-im",
    name: "Beagle IM",
    text: "A chat app for the Mac, from the makers of Siskin IM.",
    link: "https://beagle.im/",
    platforms: ["macos"],
    supportsPreauthUri: false,
    downloads: [{ text: "beagle.im", url: "https://beagle.im/" }],
  },
  {
    id: "gajim",
    name: "Gajim",
    text: "A full-featured desktop app for Windows, Linux and macOS.",
    link: "https://gajim.org/",
    platforms: ["windows", "linux", "macos"],
    supportsPreauthUri: false,
    downloads: [{ text: "gajim.org", url: "https://gajim.org/download/" }],
  },
  {
    id: "dino",
    name: "Dino",
    text: "A modern, uncluttered desktop app for Linux.",
    link: "https://dino.im/",
    platforms: ["linux"],
    supportsPreauthUri: false,
    downloads: [{ text: "dino.im", url: "https://dino.im/" }],
  },
  {
    id: "renga",
    name: "Renga",
    text: "An XMPP app for Haiku.",
    link: "https://pulkomandy.tk/projects/renga",
    platforms: ["haiku"],
    supportsPreauthUri: false,
    downloads: [{ text: "pulkomandy.tk", url: "https://pulkomandy.tk/projects/renga" }],
  },
  {
    id: "movim",
    name: "Movim",
    text: "Chat and social features in your web browser, on any Movim instance.",
    link: "https://movim.eu/",
    platforms: ["web"],
    supportsPreauthUri: false,
    downloads: [{ text: "movim.eu", url: "https://movim.eu/" }],
  },
];

export const BUILTIN_APPS: readonly App[] = ENTRIES.map((e) => ({
  ...e,
  image: logoPath(e.id),
  magicLinkFormat: e.magicLinkFormat,
  downloadText: undefined,
  setupText: undefined,
  builtin: true,
}));
