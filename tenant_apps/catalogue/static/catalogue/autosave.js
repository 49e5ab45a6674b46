/* Autosave of the activity editor: htmx sends the form every few seconds to the
   server (which keeps it as unsaved changes); this script also keeps a copy on the
   device while the connection is down, and puts it back after a reload. */
(function () {
  "use strict";
  var form = document.getElementById("activity-form");
  var saver = document.getElementById("autosave");
  if (!form || !saver) return;
  var key = "activity-draft:" + location.host + ":" + form.dataset.activity;
  var status = document.getElementById("autosave-status");

  function snapshot() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken" || el.type === "submit") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      (data[el.name] = data[el.name] || []).push(el.value);
    });
    return data;
  }

  function restore(data) {
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data) || el.type === "file") return;
      var values = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") { el.checked = values.indexOf(el.value) !== -1; return; }
      var i = seen[el.name] || 0;
      el.value = values[i] !== undefined ? values[i] : "";
      seen[el.name] = i + 1;
    });
  }

  var timer = null;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      try { localStorage.setItem(key, JSON.stringify({ at: Date.now() / 1000, data: snapshot() })); } catch (e) {}
    }, 500);
  });
  form.addEventListener("submit", function () { try { localStorage.removeItem(key); } catch (e) {} });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== saver) return;
    if (event.detail.successful) {
      try { localStorage.removeItem(key); } catch (e) {}
    } else if (status) {
      status.textContent = saver.dataset.offline;
    }
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    if (event.detail.elt === saver && status) status.textContent = saver.dataset.offline;
  });
  /* Back online: send what was typed meanwhile. */
  window.addEventListener("online", function () {
    if (localStorage.getItem(key) && window.htmx) htmx.trigger(form, "change");
  });

  try {
    var kept = JSON.parse(localStorage.getItem(key) || "null");
    if (kept && kept.at > parseFloat(form.dataset.savedAt || "0")) {
      restore(kept.data);
      var notice = document.querySelector("[data-local-restore]");
      if (notice) notice.hidden = false;
      setTimeout(function () { if (window.htmx) htmx.trigger(form, "change"); }, 500);
    } else if (kept) {
      localStorage.removeItem(key);
    }
  } catch (e) {}

  var add = document.querySelector("[data-add-session]");
  if (add) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = form.querySelectorAll(".session-row");
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      copy.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      var label = copy.querySelector("label");
      if (label && label.firstChild) label.firstChild.textContent = label.firstChild.textContent.replace(/\d+/, String(rows.length + 1));
      last.parentNode.insertBefore(copy, add);
      copy.querySelector("input").focus();
    });
  }
})();
