// The speaker's countdown. Each [data-speech-timer] element carries the speech's start
// and the server's time when the page was made (Unix seconds), the limit and the warning
// (seconds). The count follows the server's clock, whatever the tablet's clock says; it
// turns amber at the warning and red past the limit. Elements swapped in later (htmx)
// are picked up at the next tick. Loaded once however many times the partial appears.
(function () {
  "use strict";
  if (window.hdndSpeechTimer) {
    return;
  }
  window.hdndSpeechTimer = true;

  // Milliseconds to add to this device's clock to get the server's, per element.
  var offsets = new WeakMap();

  function pad(number) {
    return number < 10 ? "0" + number : String(number);
  }

  function format(seconds) {
    var sign = seconds < 0 ? "−" : "";
    var rest = Math.abs(seconds);
    return sign + Math.floor(rest / 60) + ":" + pad(rest % 60);
  }

  function update(element) {
    var started = Number(element.dataset.startedAt);
    var limit = Number(element.dataset.limitSeconds);
    var warning = Number(element.dataset.warningSeconds);
    if (!offsets.has(element)) {
      offsets.set(element, Number(element.dataset.serverNow) * 1000 - Date.now());
    }
    var now = (Date.now() + offsets.get(element)) / 1000;
    var left = Math.ceil(limit - (now - started));
    var state = left < 0 ? "over" : left <= warning ? "warning" : "normal";
    var text = element.querySelector("[data-timer-text]");
    if (text) {
      text.textContent = format(left);
    }
    var label = element.querySelector("[data-timer-state]");
    if (label) {
      label.textContent =
        state === "over" ? element.dataset.labelOver : state === "warning" ? element.dataset.labelWarning : "";
    }
    element.dataset.state = state;
    element.classList.toggle("message--warning", state === "warning");
    element.classList.toggle("message--error", state === "over");
  }

  function tick() {
    document.querySelectorAll("[data-speech-timer]").forEach(update);
  }

  tick();
  window.setInterval(tick, 1000);
})();
