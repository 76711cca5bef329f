/* Hebu progressive enhancements. The pages work without this file. */
(function () {
  "use strict";
  // Move focus to the error summary after a form re-renders with errors.
  function focusErrors(root) {
    var summary = (root || document).querySelector("#error-summary");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrors(document); });
  document.addEventListener("htmx:afterSwap", function (evt) { focusErrors(evt.target); });
  // Toasts disappear after a while but stay readable for slow readers (20 s).
  document.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.target && evt.target.id === "toasts") {
      var toasts = evt.target.querySelectorAll(".toast");
      toasts.forEach(function (t) {
        if (!t.dataset.timer) {
          t.dataset.timer = "1";
          setTimeout(function () { t.remove(); }, 20000);
        }
      });
    }
  });
})();
