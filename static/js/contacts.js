// Contact panels (templates/contacts/panels.html): each loads itself with htmx. When its request
// fails or times out (the console itself did not answer: a platform's own failure is the panel's
// answer, shown by the server), the placeholder says so instead of "Still loading" for ever.
(function () {
  "use strict";

  function failed(event) {
    var panel = event.detail && event.detail.elt;
    if (!panel || !panel.matches || !panel.matches("[data-contact-panel]")) {
      return;
    }
    panel.removeAttribute("aria-busy");
    var spinner = panel.querySelector(".spinner-border");
    if (spinner) {
      spinner.remove();
    }
    var status = panel.querySelector("[role=status]");
    if (status) {
      status.setAttribute("role", "alert");
      status.classList.add("text-danger");
      status.textContent = panel.dataset.contactFailed || "Could not load " + panel.dataset.contactPanel + ". Reload the page to try again.";
    }
  }

  ["htmx:responseError", "htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, failed);
  });
})();
