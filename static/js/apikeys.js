/* Widget keys pages: the copy buttons and the live countdowns. No inline script, no eval (the
   console's CSP forbids both); event delegation, so content swapped in by htmx works too.

     <button data-copy-target="new-key-value">Copy key</button>
         copies the value of an <input>, or the text of any other element, with that id
         (data-copy-what="URL" names what was copied in the messages; default "key"/"snippet").
     <time datetime="2026-11-21T10:00:00+00:00" data-countdown>23 h 4 min</time>
         keeps the text counting down to that moment, in the same words the server wrote.

   The key is read from the page when the button is pressed and handed to the clipboard; this
   script keeps no copy of it (no variable outlives the click, nothing goes to storage).
*/
(function () {
  "use strict";

  var TICK_MS = 1000;
  var timer = null;

  function textOf(element) {
    return element.tagName === "INPUT" || element.tagName === "TEXTAREA"
      ? element.value
      : element.textContent;
  }

  function say(button, message) {
    var status = document.getElementById("copy-status");
    if (status) {
      status.textContent = message;
    }
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = message.indexOf("Copied") === 0 ? "Copied" : label;
    window.setTimeout(function () {
      button.textContent = label;
    }, 2000);
  }

  function selectForManualCopy(element) {
    if (element.select) {
      element.focus();
      element.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyFrom(button) {
    var element = document.getElementById(button.getAttribute("data-copy-target"));
    if (!element) {
      return;
    }
    var what =
      button.getAttribute("data-copy-what") || (element.tagName === "INPUT" ? "key" : "snippet");
    if (!navigator.clipboard || !window.isSecureContext) {
      selectForManualCopy(element);
      say(button, "Selected: press Ctrl+C (⌘C on a Mac) to copy the " + what + ".");
      return;
    }
    navigator.clipboard.writeText(textOf(element)).then(
      function () {
        say(button, "Copied the " + what + " to the clipboard.");
      },
      function () {
        selectForManualCopy(element);
        say(button, "The browser refused; the " + what + " is selected: press Ctrl+C to copy it.");
      }
    );
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (button) {
      event.preventDefault();
      copyFrom(button);
    }
  });

  /* The same words as the server's `countdown` filter (dashboard/apikeys/templatetags). */
  function durationText(milliseconds) {
    var seconds = Math.max(0, Math.floor(milliseconds / 1000));
    var days = Math.floor(seconds / 86400);
    seconds -= days * 86400;
    var hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    var minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    if (days) {
      return days + " d " + hours + " h";
    }
    if (hours) {
      return hours + " h " + minutes + " min";
    }
    if (minutes) {
      return minutes + " min " + seconds + " s";
    }
    return seconds + " s";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (element) {
      var moment = Date.parse(element.getAttribute("datetime"));
      if (isNaN(moment)) {
        return;
      }
      var text = durationText(moment - now);
      if (element.textContent !== text) {
        element.textContent = text;
      }
    });
  }

  function start() {
    if (timer === null && document.visibilityState === "visible") {
      tick();
      timer = window.setInterval(tick, TICK_MS);
    }
  }

  function stop() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  // A hidden tab needs no countdown; it is right again the moment the tab is shown.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      start();
    } else {
      stop();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
