/* On every page: the large-text mode (适老化) remembered across pages, the print stamp and
   the phone menu's button.
   The mode works without JavaScript: the header link targets #large-text and site.css
   enlarges the page while that anchor is the target. Here it is kept in localStorage, so it
   stays on when the reader moves to another page. Loaded in <head> without defer, so the
   page is never drawn first in the other size. No inline script (the CSP forbids it). */
(function () {
  "use strict";
  var KEY = "disclosures-text-size";
  var root = document.documentElement;
  // Phones: the menu folds behind its button only where this script runs (site.css).
  root.classList.add("js");

  try {
    if (window.localStorage.getItem(KEY) === "large") {
      root.classList.add("large-text");
    }
  } catch (error) {
    /* storage blocked: the anchor still works on this page */
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-text-size]") : null;
    if (!link) {
      return;
    }
    var large = link.getAttribute("data-text-size") === "large";
    root.classList.toggle("large-text", large);
    try {
      if (large) {
        window.localStorage.setItem(KEY, "large");
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (error) {
      /* not remembered, still switched */
    }
  });

  // Printed pages say where they came from and when (the print CSS shows these fields).
  function stamp() {
    var now = new Date();
    var date = now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日";
    document.querySelectorAll("[data-print-date]").forEach(function (element) {
      element.textContent = date;
    });
    var address = window.location.href.split("#")[0];
    document.querySelectorAll("[data-page-address]").forEach(function (element) {
      if (!/^https?:/.test(element.textContent.trim())) {
        element.textContent = address;
      }
    });
  }
  // The phone menu's button (base.html): shows and hides the menu and the search box.
  function menu() {
    var button = document.querySelector(".menu-toggle");
    var header = button && button.closest(".site-header");
    if (!header) {
      return;
    }
    button.addEventListener("click", function () {
      var open = !header.classList.contains("menu-open");
      header.classList.toggle("menu-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  window.addEventListener("beforeprint", stamp);
  document.addEventListener("DOMContentLoaded", menu);
  document.addEventListener("DOMContentLoaded", stamp);
})();
