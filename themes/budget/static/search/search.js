// The search page: Pagefind's own UI from the bundle built with the site (/pagefind/),
// started with the words typed in the header box (?q=...).
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  var ui = new PagefindUI({
    element: "#search",
    // The site's root as an absolute path, also when the page links relatively ("../").
    baseUrl: new URL(element.getAttribute("data-base-url") || "/", window.location.href).pathname,
    showImages: false,
    showSubResults: true,
    resetStyles: false,
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
});
