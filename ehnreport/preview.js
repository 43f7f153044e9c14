// ehnreport preview: reload on every good save, show the problems of a bad one.
// Served only by `ehnreport preview`; never part of a built report.
(function () {
  "use strict";
  var root = document.getElementById("ehnreport-preview");
  if (!root || !window.EventSource) {
    return;
  }
  var page = root.getAttribute("data-page");
  var problems = document.getElementById("ehnreport-preview-problems");
  var status = document.getElementById("ehnreport-preview-status");
  var pdfLink = document.getElementById("ehnreport-preview-pdf");
  var KEY = "ehnreport-preview-scroll";
  // The words come from the page, in the language ehnreport speaks.
  var HEADING = root.getAttribute("data-heading") || "";
  var OFFLINE = root.getAttribute("data-offline") || "";

  // Keep the reader's place across reloads: the browser's own restoring is
  // unreliable when the page above the place has changed.
  if ("scrollRestoration" in history) {
    history.scrollRestoration = "manual";
  }
  function restore() {
    var saved = sessionStorage.getItem(KEY);
    if (saved) {
      sessionStorage.removeItem(KEY);
      var xy = JSON.parse(saved);
      window.scrollTo(xy[0], xy[1]);
    }
  }
  if (document.readyState === "complete") {
    restore();
  } else {
    window.addEventListener("load", restore);
  }

  function reload() {
    sessionStorage.setItem(KEY, JSON.stringify([window.scrollX, window.scrollY]));
    window.location.reload();
  }

  // The region is a live region: replacing its content is announced by screen
  // readers. Text only (textContent), never markup from the server.
  function showProblems(lines) {
    while (problems.firstChild) {
      problems.removeChild(problems.firstChild);
    }
    if (!lines.length) {
      return;
    }
    var heading = document.createElement("h2");
    heading.textContent = HEADING;
    problems.appendChild(heading);
    var list = document.createElement("ul");
    lines.forEach(function (line) {
      var item = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = line;
      item.appendChild(code);
      list.appendChild(item);
    });
    problems.appendChild(list);
  }

  // Problems already in the page when it loads are put in again, so that the
  // live region announces them as well.
  var initial = Array.prototype.map.call(
    problems.querySelectorAll("li"),
    function (li) { return li.textContent; }
  );
  if (initial.length) {
    showProblems([]);
    window.setTimeout(function () { showProblems(initial); }, 100);
  }

  var source = new EventSource("/_preview/events");
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (String(state.page) !== page) {
      reload();
      return;
    }
    var shown = Array.prototype.map.call(
      problems.querySelectorAll("li"),
      function (li) { return li.textContent; }
    );
    if (shown.join("\n") !== state.problems.join("\n")) {
      showProblems(state.problems);
    }
    status.textContent = state.status;
    pdfLink.hidden = !state.pdf;
  });
  source.addEventListener("error", function () {
    status.textContent = OFFLINE;
  });
})();
