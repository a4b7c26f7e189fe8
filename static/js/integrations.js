// The ConnectiveOne card (templates/integrations/edit.html): of the three ways to authenticate,
// only the chosen one's fields are shown. Without JavaScript every field stays visible, and the
// server asks only for the chosen one's. Runs again after htmx swaps the card in.
(function () {
  "use strict";

  function showChosen(form) {
    var mode = form.querySelector("select[name=auth_mode]");
    if (!mode) {
      return;
    }
    form.querySelectorAll("[data-auth-fields]").forEach(function (group) {
      group.hidden = group.dataset.authFields !== mode.value;
    });
  }

  function setUp(root) {
    root.querySelectorAll("select[name=auth_mode]").forEach(function (select) {
      var form = select.form;
      if (!form || form.dataset.authFieldsReady) {
        return;
      }
      form.dataset.authFieldsReady = "true";
      select.addEventListener("change", function () {
        showChosen(form);
      });
      showChosen(form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
  });
  document.addEventListener("htmx:afterSettle", function () {
    setUp(document);
  });
})();
