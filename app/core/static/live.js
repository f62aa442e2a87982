// Live parts of a page and double-submit protection; no inline script, so it works under the
// strict Content-Security-Policy. Our own small file (no library, nothing from a CDN).
//
// - An element with data-live-url is a marker of work running in the background: the page
//   asks that URL for fresh HTML and swaps in every element of the answer that carries
//   data-live-part and the id of an element on the page. It asks again while the new marker
//   still has data-live-url (1.5 s, then less and less often, at most every 15 s), and stops
//   when the answer's marker has none: the work is done (or when the URL answers 4xx). A
//   failed request (5xx, network) is tried again, less often.
// - Submitting a form (POST) disables its buttons, so a second click sends nothing twice; they
//   come back when the page is shown again from the browser's history, or after 15 s (a
//   download leaves the page where it was).
(function () {
  "use strict";
  var FIRST = 1500, LONGEST = 15000, RELEASE = 15000;

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.querySelectorAll("[data-live-part][id]").forEach(function (fresh) {
      var old = document.getElementById(fresh.id);
      if (old) { old.replaceWith(document.adoptNode(fresh)); }
    });
  }

  function poll(id, delay) {
    window.setTimeout(function () {
      var marker = document.getElementById(id);
      var url = marker && marker.getAttribute("data-live-url");
      if (!url) { return; }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (response.status >= 400 && response.status < 500) { return null; } // gone: stop
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          if (html === null) { return; }
          swap(html);
          poll(id, Math.min(delay * 1.5, LONGEST));
        })
        .catch(function () { poll(id, Math.min(delay * 2, LONGEST)); });
    }, delay);
  }

  function start() {
    document.querySelectorAll("[data-live-url][id]").forEach(function (marker) {
      poll(marker.id, FIRST);
    });
  }

  function buttons(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return (el.tagName === "BUTTON" || el.type === "submit") && !el.disabled;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "get").toLowerCase() !== "post" ||
        form.hasAttribute("data-keep-enabled")) { return; }
    var busy = buttons(form);
    // After this event: the form's data (with the clicked button's name) is already taken.
    window.setTimeout(function () {
      busy.forEach(function (el) { el.disabled = true; el.setAttribute("data-busy", ""); });
    }, 0);
    window.setTimeout(function () { release(form); }, RELEASE);
  });

  function release(root) {
    root.querySelectorAll("[data-busy]").forEach(function (el) {
      el.disabled = false;
      el.removeAttribute("data-busy");
    });
  }

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { release(document); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
