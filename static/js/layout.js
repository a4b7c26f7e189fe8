/* The layout on small screens, on every full page (templates/base.html).

   1. The main navigation folds behind its Menu button below 768 px. The button is a real
      <button> with aria-expanded and aria-controls; Escape closes the menu and gives the focus
      back to the button. Without this script the list simply stays open (the button is shown
      only once the script has marked the navigation as collapsible).
   2. Tables become stacked cards below 768 px (static/css/app.css): each cell is labelled with
      its column's heading through a data-label attribute copied here from the table's <thead>,
      on load and after every htmx swap. Without this script the cards show no labels.

   No inline script or style, no eval (strict CSP). */
(function () {
  "use strict";

  function setUpNavigation(nav) {
    if (nav.hasAttribute("data-nav-ready")) return;
    nav.setAttribute("data-nav-ready", "");
    var button = nav.querySelector(".sb-menu-button");
    if (!button) return;
    nav.classList.add("sb-nav-collapsible");

    function setOpen(open) {
      nav.classList.toggle("sb-nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }

    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  function labelCells(scope) {
    var tables = (scope.matches && scope.matches("table") ? [scope] : [])
      .concat(Array.prototype.slice.call(scope.querySelectorAll ? scope.querySelectorAll("table") : []));
    if (scope.closest && scope.closest("table") && tables.indexOf(scope.closest("table")) === -1) {
      tables.push(scope.closest("table")); // a swapped <tbody> or row
    }
    tables.forEach(function (table) {
      var headings = table.querySelectorAll("thead th");
      if (!headings.length) return;
      var labels = Array.prototype.map.call(headings, function (th) {
        return th.textContent.replace(/\s+/g, " ").trim();
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          var span = cell.colSpan || 1;
          if (span === 1 && labels[column]) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += span;
        });
      });
    });
  }

  function setUp(scope) {
    Array.prototype.forEach.call(
      document.querySelectorAll("[data-collapsible-nav]"),
      setUpNavigation
    );
    labelCells(scope);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUp(document);
    });
  } else {
    setUp(document);
  }
  document.addEventListener("htmx:load", function (event) {
    labelCells(event.target);
  });
})();
