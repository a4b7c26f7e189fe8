/* Widget keys pages: the copy buttons and the live countdowns. No inline script, no eval (the
   console's CSP forbids both); event delegation, so content swapped in by htmx works too.

     <button data-copy-target="new-key-value">Copy key</button>
         copies the value of an <input>, or the text of any other element, with that id, and
         says so in #copy-status (templates/includes/copy_status.html holds its words).
     <time datetime="2026-11-21T10:00:00+00:00" data-countdown>23 h 04 min</time>
         keeps the text counting down to that moment, in the same words the server wrote
         (the page's #duration-formats holds them in its language).

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

  /* The words come from the page (templates/includes/copy_status.html), in its language. */
  function text(name, english) {
    var status = document.getElementById("copy-status");
    return (status && status.getAttribute("data-" + name)) || english;
  }

  function say(button, message, copied) {
    var status = document.getElementById("copy-status");
    if (status) {
      status.textContent = message;
    }
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = copied ? text("copied-label", "Copied") : label;
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
    if (!navigator.clipboard || !window.isSecureContext) {
      selectForManualCopy(element);
      say(button, text("selected", "Selected: press Ctrl+C (⌘C on a Mac) to copy it."), false);
      return;
    }
    navigator.clipboard.writeText(textOf(element)).then(
      function () {
        say(button, text("copied", "Copied to the clipboard."), true);
      },
      function () {
        selectForManualCopy(element);
        say(
          button,
          text("refused", "The browser refused; the text is selected: press Ctrl+C to copy it."),
          false
        );
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

  /* The same words as the server's (dashboard/lib/durations.py), in the page's language: the
     formats come from the page (templates/includes/duration_formats.html). */
  var ENGLISH = {
    s: "%(seconds)d s",
    minS: "%(minutes)d min %(seconds)d s",
    min: "%(minutes)d min",
    hMin: "%(hours)d h %(minutes)02d min",
    dH: "%(days)d d %(hours)d h",
  };

  function format(name, values) {
    var formats = document.getElementById("duration-formats");
    var pattern = (formats && formats.dataset[name]) || ENGLISH[name];
    return pattern.replace(/%\((\w+)\)(02)?d/g, function (match, key, padded) {
      var value = String(values[key]);
      return padded && value.length < 2 ? "0" + value : value;
    });
  }

  function durationText(milliseconds) {
    var seconds = Math.max(0, Math.floor(milliseconds / 1000));
    var values = {};
    values.days = Math.floor(seconds / 86400);
    seconds -= values.days * 86400;
    values.hours = Math.floor(seconds / 3600);
    seconds -= values.hours * 3600;
    values.minutes = Math.floor(seconds / 60);
    values.seconds = seconds - values.minutes * 60;
    if (values.days) {
      return format("dH", values);
    }
    if (values.hours) {
      return format("hMin", values);
    }
    if (values.minutes) {
      return format(values.seconds ? "minS" : "min", values);
    }
    return format("s", values);
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
