// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function platform() {
    var ua = navigator.userAgent || "";
    if (/Android/i.test(ua)) return "android";
    if (/iPhone|iPad|iPod/i.test(ua)) return "ios";
    if (/Macintosh|Mac OS X/i.test(ua)) return "macos";
    if (/Windows/i.test(ua)) return "windows";
    if (/Haiku/i.test(ua)) return "haiku";
    if (/Linux|X11|CrOS/i.test(ua)) return "linux";
    return "";
  }

  // App cards carry data-platforms="android ios"; show the visitor's platform first, the rest one click away.
  function filterApps() {
    var list = document.querySelector("[data-app-list]");
    var toggle = document.querySelector("[data-show-all]");
    if (!list || !toggle) return;
    var mine = platform();
    if (!mine) return;
    var cards = list.querySelectorAll("[data-platforms]");
    var matching = 0;
    cards.forEach(function (card) {
      var p = (card.getAttribute("data-platforms") || "").split(" ");
      var fits = p.indexOf(mine) >= 0 || p.indexOf("web") >= 0;
      if (fits) matching++;
      card.setAttribute("data-fits", fits ? "yes" : "no");
    });
    if (matching === 0) return;
    list.classList.add("filtered");
    toggle.hidden = false;
    var note = document.querySelector("[data-platform-note]");
    if (note) {
      note.hidden = false;
      var name = note.querySelector("[data-platform-name]");
      if (name) name.textContent = toggle.getAttribute("data-label-" + mine) || mine;
    }
    toggle.addEventListener("click", function () {
      list.classList.remove("filtered");
      toggle.hidden = true;
      if (note) note.hidden = true;
    });
  }

  // Password fields with a "show" button.
  function revealPasswords() {
    document.querySelectorAll("[data-reveal]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-reveal"));
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var show = input.type === "password";
        input.type = show ? "text" : "password";
        button.setAttribute("aria-pressed", show ? "true" : "false");
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    filterApps();
    revealPasswords();
  });
})();
