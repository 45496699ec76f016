/*
 * scidigest: the share and print buttons of an article (scripts/scidigest/site/share.py).
 * Both are hidden in the markup; this file (the site's own: the Content-Security-Policy
 * allows no inline script) shows "Share…" only where the Web Share API exists and "Print"
 * wherever script runs. Nothing is sent anywhere: the system share sheet or the print
 * dialog does the rest.
 */
(function () {
  "use strict";
  var each = function (selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  };
  each("button[data-sd-print]", function (button) {
    button.addEventListener("click", function () { window.print(); });
    button.hidden = false;
  });
  if (typeof navigator.share !== "function") return;
  each("button[data-sd-share]", function (button) {
    button.addEventListener("click", function () {
      var data = { title: button.getAttribute("data-sd-title") || document.title,
                   url: button.getAttribute("data-sd-url") || location.href };
      navigator.share(data).catch(function () {});  // dismissed by the reader: nothing to do
    });
    button.hidden = false;
  });
})();
