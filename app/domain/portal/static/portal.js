// The answer page: the draft kept in this browser until sent, the planned date shown only for
// "in progress". No inline script: the page works under a strict Content-Security-Policy.
(function () {
  "use strict";
  var body = document.body;
  var clearKey = body.getAttribute("data-clear-draft");
  if (clearKey) {
    try { window.localStorage.removeItem(clearKey); } catch (e) { /* storage disabled */ }
    return;
  }
  var form = document.getElementById("portal-form");
  var key = body.getAttribute("data-draft-key");
  if (!form || !key) { return; }
  var skip = { csrf_token: true, form_token: true };

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !skip[el.name] && el.type !== "file" && el.type !== "submit";
    });
  }

  function save() {
    var draft = {};
    fields().forEach(function (el) { draft[el.name] = el.value; });
    try { window.localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* full */ }
  }

  function restore() {
    var draft;
    try { draft = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { draft = null; }
    if (!draft) { return; }
    fields().forEach(function (el) {
      // What the server sent back (after a refusal) wins over the stored draft.
      if (!el.value && typeof draft[el.name] === "string") { el.value = draft[el.name]; }
    });
  }

  function togglePlanned() {
    form.querySelectorAll("select.position").forEach(function (select) {
      var box = document.getElementById("planned-box-" + select.getAttribute("data-rec"));
      if (box) { box.classList.toggle("is-hidden", select.value !== "in_progress"); }
    });
  }

  restore();
  togglePlanned();
  form.addEventListener("input", save);
  form.addEventListener("change", function () { save(); togglePlanned(); });
  form.addEventListener("submit", function () {
    var button = document.getElementById("portal-send");
    if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
  });
})();
