// Messages of the shared web layer (layout, errors), in every shipped language.
import { addMessages } from "./index.ts";

addMessages("en", {
  "page.notFound.title": "Not found",
  "page.notFound.text": "There is nothing at this address.",
  "page.error.title": "Something went wrong",
  "page.error.text": "The server could not handle this request. Please try again later.",
  "page.tooMany.title": "Too many requests",
  "page.tooMany.text": "Please wait a moment before trying again.",
  "page.tooLarge.title": "Request too large",
  "page.tooLarge.text": "What you sent is larger than this server accepts.",
  "page.forbiddenForm.title": "This form has expired",
  "page.forbiddenForm.text": "The form was too old, or it was sent from another site. Please go back, reload the page and try again.",
  "layout.poweredBy": "Powered by Hearth",
  "layout.skip": "Skip to content",
});

addMessages("de", {
  "page.notFound.title": "Nicht gefunden",
  "page.notFound.text": "Unter dieser Adresse gibt es nichts.",
  "page.error.title": "Etwas ist schiefgelaufen",
  "page.error.text": "Der Server konnte diese Anfrage nicht bearbeiten. Bitte versuche es später noch einmal.",
  "page.tooMany.title": "Zu viele Anfragen",
  "page.tooMany.text": "Bitte warte einen Moment und versuche es dann erneut.",
  "page.tooLarge.title": "Anfrage zu groß",
  "page.tooLarge.text": "Was du gesendet hast, ist größer, als dieser Server annimmt.",
  "page.forbiddenForm.title": "Dieses Formular ist abgelaufen",
  "page.forbiddenForm.text":
    "Das Formular war zu alt oder wurde von einer anderen Website gesendet. Bitte gehe zurück, lade die Seite neu und versuche es erneut.",
  "layout.poweredBy": "Betrieben mit Hearth",
  "layout.skip": "Zum Inhalt springen",
});
