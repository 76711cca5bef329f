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
/* Session idle warning: shown two minutes before the session would end; the button renews it. */
(function () {
  "use strict";
  var WARN_BEFORE = 120;
  var timer = null;
  function schedule(seconds) {
    var box = document.getElementById("session-warning");
    if (!box || !seconds) { return; }
    if (timer) { clearTimeout(timer); }
    box.hidden = true;
    timer = setTimeout(function () {
      box.hidden = false;
      var button = box.querySelector("button");
      if (button) { button.focus(); }
    }, Math.max(0, seconds - WARN_BEFORE) * 1000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var seconds = parseInt(document.body.dataset.sessionSeconds || "0", 10);
    schedule(seconds);
    var form = document.getElementById("session-extend-form");
    if (!form) { return; }
    form.addEventListener("submit", function (evt) {
      evt.preventDefault();
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { window.location.reload(); return null; }
        return response.json();
      }).then(function (data) {
        if (data) { schedule(data.seconds_left); }
      });
    });
  });
  // Any HTMX request also renews the session on the server.
  document.addEventListener("htmx:afterRequest", function () {
    var seconds = parseInt(document.body.dataset.sessionSeconds || "0", 10);
    schedule(seconds);
  });
})();
/* Header disclosures (language, menu): one open at a time; Escape or a click elsewhere closes. */
(function () {
  "use strict";
  function closeAll(except) {
    document.querySelectorAll("details.disclosure[open]").forEach(function (d) {
      if (d !== except) { d.open = false; }
    });
  }
  document.addEventListener("toggle", function (evt) {
    var d = evt.target;
    if (d.classList && d.classList.contains("disclosure") && d.open) { closeAll(d); }
  }, true);
  document.addEventListener("keydown", function (evt) {
    if (evt.key !== "Escape") { return; }
    var open = document.querySelector("details.disclosure[open]");
    if (open) { open.open = false; open.querySelector("summary").focus(); }
  });
  document.addEventListener("click", function (evt) {
    if (!evt.target.closest || !evt.target.closest("details.disclosure")) { closeAll(null); }
  });
})();
/* Data tables become cards on a phone (CSS): each cell learns its column heading as data-label,
   and the table keeps its table roles, which some screen readers drop when CSS changes the
   display of table parts. */
(function () {
  "use strict";
  var ROLES = [["table", "table"], ["thead, tbody, tfoot", "rowgroup"], ["tr", "row"],
    ["thead th", "columnheader"], ["tbody th, tfoot th", "rowheader"], ["td", "cell"]];
  function stack(table) {
    var rows = table.querySelectorAll("thead tr");
    if (!rows.length) { return; }
    var labels = [];
    Array.prototype.forEach.call(rows[rows.length - 1].children, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) { labels.push(th.textContent.trim()); }
    });
    table.querySelectorAll("tbody tr, tfoot tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var span = cell.colSpan || 1;
        if (span === 1 && labels[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += span;
      });
    });
    ROLES.forEach(function (pair) {
      (pair[0] === "table" ? [table] : table.querySelectorAll(pair[0])).forEach(function (el) {
        if (!el.hasAttribute("role")) { el.setAttribute("role", pair[1]); }
      });
    });
    table.classList.add("stacked");
  }
  function stackAll(root) {
    (root || document).querySelectorAll(".table-wrap table").forEach(stack);
  }
  document.addEventListener("DOMContentLoaded", function () { stackAll(document); });
  document.addEventListener("htmx:afterSwap", function (evt) {
    var inside = evt.target.closest && evt.target.closest(".table-wrap table");
    if (inside) { stack(inside); } else { stackAll(evt.target); }
  });
})();
