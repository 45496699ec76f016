/*
 * scidigest: the root 404 page (every language, see scripts/theme/404.html)
 * keeps the reader's language. The URL decides first (a missing /en/... page
 * is English whatever the browser says), then navigator.languages in order;
 * when neither names a language of the page, every version stays shown.
 */
(function () {
  "use strict";
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.sd-404[lang]"));
  if (sections.length < 2) return;
  var root = new URL("../../", document.currentScript.src).pathname;  // this file: <root>assets/javascripts/
  var path = location.pathname.indexOf(root) === 0 ? location.pathname.slice(root.length) : "";
  var first = path.split("/")[0].toLowerCase();
  var langs = sections.map(function (s) { return s.getAttribute("lang"); });
  // the default language (first) has no URL prefix
  var chosen = langs.indexOf(first) > 0 ? first : null;
  var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
  for (var i = 0; !chosen && i < wanted.length; i++) {
    var primary = String(wanted[i]).toLowerCase().split("-")[0];
    if (langs.indexOf(primary) >= 0) chosen = primary;
  }
  if (!chosen) return;
  sections.forEach(function (s) {
    if (s.getAttribute("lang") === chosen) {
      document.documentElement.setAttribute("lang", chosen);
      document.title = s.getAttribute("data-sd-404-title") || document.title;
    } else {
      s.hidden = true;
    }
  });
})();
