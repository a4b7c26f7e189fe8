/* Live tables: refresh an element every N milliseconds while the tab is visible.

   Markup (no inline script, no eval, so it works under the strict CSP):

     <tbody id="visitor-rows"
            data-live-refresh="10000"            the period in ms
            data-live-region="#visitor-table"    where the user's focus/selection is protected
            hx-get="/visitors/?search=jane"      the canonical URL of what is shown
            hx-trigger="livetable:refresh"       fired by this script, never by a timer of htmx
            hx-target="this" hx-swap="outerHTML">

   Why a script rather than hx-trigger="every 10s [...]": the visibility filter needs eval,
   which our CSP forbids. The Page Visibility API stops the timer while the tab is hidden and
   refreshes at once on return if the data is older than one period.

   Keeping the user's place: a tick is skipped (and retried at the next one) while the user is
   inside the region -- focus on a control or link in it, or text selected in it -- or while a
   request for it is in flight. We chose skipping over morphing: the rows are read-mostly, a
   skipped tick costs at most one period of staleness, and nothing the user is doing is ever
   replaced under them. An answer identical to the last one is not swapped at all, so hover,
   scroll and selection stay untouched when nothing changed. Requests carry
   X-Switchboard-Background so a tab left open does not count as activity for the idle timeout.
*/
(function () {
  "use strict";

  var EVENT = "livetable:refresh";
  var TICK_MS = 1000;
  var lastRefreshAt = new WeakMap(); // element -> time it was loaded or last refreshed
  var lastAnswer = {}; // element id -> body of the last answer swapped in
  var timer = null;

  function liveElements() {
    return document.querySelectorAll("[data-live-refresh]");
  }

  function periodOf(element) {
    var period = parseInt(element.getAttribute("data-live-refresh"), 10);
    return isNaN(period) || period < 1000 ? 10000 : period;
  }

  function regionOf(element) {
    var selector = element.getAttribute("data-live-region");
    return (selector && element.closest(selector)) || element;
  }

  function selectionInside(region) {
    var selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
      return false;
    }
    return region.contains(selection.getRangeAt(0).commonAncestorContainer);
  }

  function userIsBusyIn(region) {
    var active = document.activeElement;
    if (active && active !== document.body && region.contains(active)) {
      return true;
    }
    return selectionInside(region);
  }

  function due(element, now) {
    if (!lastRefreshAt.has(element)) {
      lastRefreshAt.set(element, now); // just arrived with the page or a swap: fresh
      return false;
    }
    return now - lastRefreshAt.get(element) >= periodOf(element);
  }

  function tick() {
    var now = Date.now();
    liveElements().forEach(function (element) {
      if (!due(element, now)) {
        return;
      }
      if (element.classList.contains("htmx-request") || userIsBusyIn(regionOf(element))) {
        return; // try again next tick
      }
      lastRefreshAt.set(element, now);
      htmx.trigger(element, EVENT);
    });
  }

  function start() {
    if (timer === null && document.visibilityState === "visible") {
      timer = window.setInterval(tick, TICK_MS);
      tick(); // back on the tab: anything older than its period refreshes now
    }
  }

  function stop() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  function isLiveRefresh(detail) {
    var trigger = detail.requestConfig ? detail.requestConfig.triggeringEvent : detail.triggeringEvent;
    return Boolean(trigger && trigger.type === EVENT);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      start();
    } else {
      stop();
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    if (isLiveRefresh(event.detail)) {
      event.detail.headers["X-Switchboard-Background"] = "1";
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (!isLiveRefresh(detail) || !detail.shouldSwap) {
      return;
    }
    var target = detail.target;
    if (!target.isConnected) {
      detail.shouldSwap = false; // the table was replaced (new filters) while this was in flight
      return;
    }
    var body = detail.xhr.responseText;
    if (target.id && lastAnswer[target.id] === body) {
      detail.shouldSwap = false; // nothing changed: leave the DOM (hover, selection) alone
      return;
    }
    if (userIsBusyIn(regionOf(target))) {
      detail.shouldSwap = false; // the user started reading or selecting while it was in flight
      return;
    }
    if (target.id) {
      lastAnswer[target.id] = body;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    // A filter change replaced the table: the next live answer is compared with a fresh slate.
    if (!isLiveRefresh(event.detail)) {
      lastAnswer = {};
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
