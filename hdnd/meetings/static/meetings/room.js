/* The live room: follows a meeting over its WebSocket on the delegate's tablet, the
 * chair's console and the projector. The server is the only source of truth: every
 * message carries the room's whole public state, and a reconnecting client gets it again.
 *
 * Include it with the socket's path (and, for the projector, the page part to refresh):
 *   <script src="{% url 'javascript-catalog' %}"></script>
 *   <script src="{% static 'meetings/room.js' %}" data-socket="/ws/meetings/5/" defer></script>
 *
 * On each update it
 * - fills every element with data-live="<path>" (e.g. "attendance.present",
 *   "poll.voted") with that value of the state;
 * - dispatches on <body> the event "meeting:<topic>" of each topic
 *   that changed, which htmx panels listen to (hx-trigger="meeting:agenda from:body") to
 *   fetch their partial; "meeting:poll" only when a poll opens, closes or changes, and
 *   "meeting:poll-count" on every count (the chair's console);
 * - dispatches "meeting:state" with the state as the event's detail.
 *
 * The ballot form (marked data-live-cast data-poll="<id>"; choices in radios or the
 * pressed button named "..._<subject id>") is sent over the socket when it is open (else
 * it submits as usual, through htmx); the server's answer is shown in the
 * [data-live-cast-status] elements, and the ballot panel is fetched again.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.dataset.socket) {
    return;
  }
  // Named gettext so that makemessages -d djangojs finds the strings.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\(\w+\)s/g, function (key) { return values[key.slice(2, -2)]; });
  };
  var socketPath = script.dataset.socket;
  var refreshUrl = script.dataset.refresh || "";
  var REFUSED = { 4401: true, 4403: true, 4404: true };
  var socket = null;
  var attempts = 0;
  var latestAt = 0;
  var lastPollKey = null;
  var lastPollText = null;
  var lastSections = {};
  var pending = {};
  var wasConnected = false;
  var requestCounter = 0;

  // The connection badge.
  var badge = document.createElement("div");
  badge.className = "live-badge";
  badge.setAttribute("role", "status");
  badge.setAttribute("aria-live", "polite");
  document.body.appendChild(badge);

  function showBadge(state) {
    badge.dataset.state = state;
    if (state === "online") {
      badge.textContent = gettext("Live");
    } else if (state === "refused") {
      badge.textContent = gettext("Live updates are not available: reload the page.");
    } else {
      badge.textContent = gettext("Reconnecting…");
    }
  }

  function fire(name, detail) {
    document.body.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
  }

  function valueAt(state, path) {
    return path.split(".").reduce(function (value, key) {
      return value === null || value === undefined ? value : value[key];
    }, state);
  }

  function fillCounters(state) {
    document.querySelectorAll("[data-live]").forEach(function (element) {
      var value = valueAt(state, element.dataset.live);
      var text = value === null || value === undefined ? "" : String(value);
      if (element.textContent !== text) {
        element.textContent = text;
      }
    });
  }

  function pollKey(poll) {
    return poll ? [poll.id, poll.status, poll.passed].join(":") : "";
  }

  // Which topics' panels to refetch: only those whose part of the state changed (a
  // change the snapshot does not show, like a new document, still comes as a topic).
  var SECTIONS = {
    agenda: ["agenda_item"],
    attendance: ["attendance"],
    speakers: ["speakers"],
    questions: ["question"],
    meeting: ["meeting", "sitting"]
  };

  function changedTopics(message) {
    var topics = {};
    var state = message.state;
    (message.topics || []).forEach(function (topic) {
      if (topic !== "poll" && topic !== "all") {
        topics[topic] = true;
      }
    });
    Object.keys(SECTIONS).forEach(function (topic) {
      var text = JSON.stringify(SECTIONS[topic].map(function (key) { return state[key]; }));
      if (lastSections[topic] !== undefined && lastSections[topic] !== text) {
        topics[topic] = true;
      }
      lastSections[topic] = text;
    });
    var key = pollKey(state.poll);
    if (lastPollKey !== null && key !== lastPollKey) {
      topics.poll = true;
      // A line about the last ballot ("not recorded", "recorded at") no longer applies.
      document.querySelectorAll("[data-live-cast-status]").forEach(function (element) {
        element.textContent = "";
        element.dataset.kind = "";
      });
    }
    lastPollKey = key;
    return Object.keys(topics);
  }

  function timeOf(iso) {
    var date = new Date(iso);
    return isNaN(date.getTime()) ? "" : date.toLocaleTimeString("vi-VN", {
      hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
      timeZone: "Asia/Ho_Chi_Minh"
    });
  }

  function castStatus(text, kind) {
    var ballot = document.getElementById("voting-ballot");
    if (!document.querySelector("[data-live-cast-status]") && ballot && ballot.parentNode) {
      // Beside the ballot panel, not in it: the panel is replaced when it refreshes.
      var line = document.createElement("p");
      line.setAttribute("data-live-cast-status", "");
      line.setAttribute("role", "status");
      line.className = "live-cast-status";
      ballot.parentNode.insertBefore(line, ballot);
    }
    document.querySelectorAll("[data-live-cast-status]").forEach(function (element) {
      element.textContent = text;
      element.dataset.kind = kind;
    });
  }

  function showMyBallot(viewer) {
    var mine = viewer && viewer.my_ballot;
    if (!mine) {
      return;
    }
    if (mine.voted) {
      castStatus(interpolate(gettext("Your vote was recorded at %(time)s."),
                             { time: timeOf(mine.cast_at) }, true), "recorded");
    } else if (Object.keys(pending).length) {
      castStatus(gettext("Your vote was not recorded. Please vote again."), "error");
    }
    pending = {};
  }

  function onState(message) {
    if (message.at && message.at < latestAt) {
      return; // An older snapshot that arrived late.
    }
    latestAt = message.at || latestAt;
    var state = message.state;
    fillCounters(state);
    var topics = changedTopics(message);
    // The projector re-renders its body on any change, a poll's count included.
    var pollText = JSON.stringify(state.poll || null);
    if (refreshUrl && (topics.length || pollText !== lastPollText)) {
      refreshDisplay();
    }
    lastPollText = pollText;
    topics.forEach(function (topic) {
      fire("meeting:" + topic, state);
    });
    if (state.poll) {
      fire("meeting:poll-count", state);
    }
    if (message.viewer) {
      showMyBallot(message.viewer);
    }
    fire("meeting:state", state);
  }

  function onCastResult(message) {
    delete pending[message.request_id];
    castStatus(interpolate(gettext("Your vote was recorded at %(time)s."),
                           { time: timeOf(message.cast_at) }, true), "recorded");
    fire("meeting:poll", null);
  }

  function onError(message) {
    if (message.request_id && pending[message.request_id]) {
      delete pending[message.request_id];
      castStatus(message.message, "error");
    }
  }

  // The projector's page: its body part is re-rendered by the server.
  var refreshing = false;
  var refreshAgain = false;
  function refreshDisplay() {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    fetch(refreshUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var target = document.getElementById("display-body");
        if (html !== null && target) {
          target.innerHTML = html;
        }
      })
      .catch(function () { /* the next update tries again */ })
      .then(function () {
        refreshing = false;
        if (refreshAgain) {
          refreshAgain = false;
          refreshDisplay();
        }
      });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + socketPath);
    socket.onopen = function () {
      attempts = 0;
      showBadge("online");
      if (wasConnected) {
        // The state may have changed while away (the server also sends it on connect).
        socket.send(JSON.stringify({ action: "sync" }));
        if (refreshUrl) {
          refreshDisplay();
        }
        lastSections = {};
        lastPollKey = null;
        ["agenda", "attendance", "speakers", "questions", "documents", "poll"].forEach(
          function (topic) { fire("meeting:" + topic, null); }
        );
      }
      wasConnected = true;
    };
    socket.onmessage = function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message.type === "state") {
        onState(message);
      } else if (message.type === "cast_result") {
        onCastResult(message);
      } else if (message.type === "error") {
        onError(message);
      }
    };
    socket.onclose = function (event) {
      socket = null;
      if (REFUSED[event.code]) {
        showBadge("refused");
        return;
      }
      showBadge("reconnecting");
      // Backoff with jitter, so 500 tablets do not all come back at the same instant.
      var delay = Math.min(15000, 500 * Math.pow(2, attempts)) * (0.5 + Math.random());
      attempts += 1;
      window.setTimeout(connect, delay);
    };
  }

  function ballotOf(form, submitter) {
    var choices = {};
    var inputs = Array.prototype.slice.call(
      form.querySelectorAll("input[type=radio]:checked, select"));
    // A motion's ballot is one button per choice: the one pressed is the vote.
    if (submitter && submitter.name) {
      inputs.push(submitter);
    }
    inputs.forEach(function (input) {
      var match = /(\d+)$/.exec(input.name || "");
      if (match && input.value) {
        choices[match[1]] = input.value;
      }
    });
    return choices;
  }

  // The ballot form's poll (data-poll), or null when the form is not a live ballot.
  function pollOf(form) {
    if (!form.matches || !form.matches("form[data-live-cast]")) {
      return null;
    }
    var poll = parseInt(form.dataset.poll || "", 10);
    return isNaN(poll) ? null : poll;
  }

  // Capture phase: runs before htmx's own submit handler on the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var poll = pollOf(form);
    if (!poll) {
      return;
    }
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return; // The form posts as usual.
    }
    var choices = ballotOf(form, event.submitter);
    if (!Object.keys(choices).length) {
      return; // Let the server say what is missing.
    }
    event.preventDefault();
    event.stopPropagation();
    requestCounter += 1;
    var requestId = "cast-" + Date.now() + "-" + requestCounter;
    pending[requestId] = true;
    castStatus(gettext("Sending your vote…"), "sending");
    socket.send(JSON.stringify({
      action: "cast",
      poll: poll,
      choices: choices,
      request_id: requestId
    }));
  }, true);

  // Keyboard users: when a panel is replaced (htmx), the focused button goes with it and
  // the focus falls back to the top of the page. Put it back on the same control in the
  // new panel, else on the panel itself.
  // One remembered control per panel: two panels may be swapping at the same time.
  var focusBefore = {};
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail && event.detail.target;
    if (!target || !target.id) {
      return;
    }
    if (active && active !== document.body && target.contains(active)) {
      focusBefore[target.id] = {
        id: active.id,
        name: active.getAttribute("name"),
        value: active.getAttribute("value"),
        text: active.textContent
      };
    }
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    var id = target && target.id;
    var before = id ? focusBefore[id] : null;
    if (!before) {
      return;
    }
    delete focusBefore[id];
    if (document.activeElement && document.activeElement !== document.body) {
      return;
    }
    var panel = document.getElementById(id);
    if (!panel) {
      return;
    }
    var candidates = Array.prototype.slice.call(
      panel.querySelectorAll(
        "button:not([disabled]), a[href], input:not([type=hidden]):not([disabled]), " +
        "select:not([disabled]), textarea:not([disabled])"));
    var same = candidates.filter(function (one) {
      return (before.id && one.id === before.id) ||
        (one.getAttribute("name") === before.name && one.getAttribute("value") === before.value &&
         (before.name || one.textContent === before.text));
    });
    var again = same[0] || candidates[0];
    if (again) {
      again.focus();
    } else {
      panel.setAttribute("tabindex", "-1");
      panel.focus();
    }
  });

  showBadge("reconnecting");
  connect();
})();
