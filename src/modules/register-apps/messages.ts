// Translations of the built-in apps' descriptions and of the platform names (keys `app.<id>.text`, `platform.<name>`).
import { addMessages } from "../../http/i18n/index.ts";
import { BUILTIN_APPS } from "./builtin.ts";

addMessages("en", {
  ...Object.fromEntries(BUILTIN_APPS.map((a) => [`app.${a.id}.text`, a.text])),
  "platform.android": "Android",
  "platform.ios": "iPhone and iPad",
  "platform.macos": "Mac",
  "platform.windows": "Windows",
  "platform.linux": "Linux",
  "platform.haiku": "Haiku",
  "platform.web": "Web browser",
});

addMessages("de", {
  "app.conversations.text": "Eine beliebte, einfache App für Android mit Ende-zu-Ende-Verschlüsselung.",
  "app.snikket-android.text": "Die Snikket-App für Android, gemacht für Snikket-Server und nutzbar mit jedem XMPP-Server.",
  "app.snikket-ios.text": "Die Snikket-App für iPhone und iPad.",
  "app.monal.text": "Eine Chat-App für iPhone, iPad und Mac.",
  "app.siskin-im.text": "Eine schlanke Chat-App für iPhone und iPad.",
  "app.yaxim.text": "Eine schlanke XMPP-App für Android.",
  "app.beagle-im.text": "Eine Chat-App für den Mac, von den Machern von Siskin IM.",
  "app.gajim.text": "Eine umfangreiche Desktop-App für Windows, Linux und macOS.",
  "app.dino.text": "Eine moderne, aufgeräumte Desktop-App für Linux.",
  "app.renga.text": "Eine XMPP-App für Haiku.",
  "app.movim.text": "Chat und soziale Funktionen im Webbrowser, auf jeder Movim-Instanz.",
  "platform.android": "Android",
  "platform.ios": "iPhone und iPad",
  "platform.macos": "Mac",
  "platform.windows": "Windows",
  "platform.linux": "Linux",
  "platform.haiku": "Haiku",
  "platform.web": "Webbrowser",
});
