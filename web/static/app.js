// Enhancements only: every page works without this file.
"use strict";

// Search as you type: a form with data-live-search posts its fields there after a pause in typing
// and puts the answer (the results only) in the element its input controls.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-live-search]").forEach(function (form) {
    var input = form.querySelector("input[name=q]");
    var target = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null, sent = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var mine = ++sent;
        fetch(form.getAttribute("data-live-search"), {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(new FormData(form)).toString()
        }).then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) { if (html !== null && mine === sent) { target.innerHTML = html; } });
      }, 250);
    });
  });
});

// The printable report's "In báo cáo" button (an inline handler would break the CSP).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
