// The compose page (templates/broadcasts/compose.html): only the chosen channel's and audience's
// fields are shown, and the audiences the channel cannot send to are hidden and disabled (the
// first one that fits is chosen instead). Without JavaScript every field stays visible, and the
// server checks that the channel and the audience fit together.
(function () {
  "use strict";

  function checkedValue(form, name) {
    var checked = form.querySelector("input[name=" + name + "]:checked");
    return checked ? checked.value : "";
  }

  function showChosen(form) {
    var channel = checkedValue(form, "channel");
    if (!channel) {
      return;
    }
    var firstFitting = null;
    form.querySelectorAll("[data-compose-channels]").forEach(function (choice) {
      var fits = choice.dataset.composeChannels.split(" ").indexOf(channel) !== -1;
      var radio = choice.querySelector("input");
      choice.hidden = !fits;
      radio.disabled = !fits;
      if (fits && !firstFitting) {
        firstFitting = radio;
      }
    });
    var chosen = form.querySelector("input[name=audience]:checked");
    if ((!chosen || chosen.disabled) && firstFitting) {
      firstFitting.checked = true;
    }
    var audience = checkedValue(form, "audience");
    form.querySelectorAll("[data-compose-channel]").forEach(function (group) {
      group.hidden = group.dataset.composeChannel !== channel;
    });
    form.querySelectorAll("[data-compose-audience]").forEach(function (group) {
      group.hidden = group.dataset.composeAudience !== audience;
    });
  }

  function setUp(root) {
    root.querySelectorAll("#compose-form").forEach(function (form) {
      if (form.dataset.composeReady) {
        return;
      }
      form.dataset.composeReady = "true";
      form.addEventListener("change", function (event) {
        var name = event.target.name;
        if (name === "channel" || name === "audience") {
          showChosen(form);
        }
      });
      showChosen(form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
  });
})();
