// The search page: Pagefind's own UI over the site's search bundles, one per year or part of
// a big year (/pagefind/2023/, /pagefind/2021-1/ ..., listed newest first in
// /pagefind/bundles.json by export/search.py, see docs/search.md), merged
// into one result list with one set of filters by pagefind.js next to this file; started with
// the words typed in the header box (?q=...).
var searchFolder = new URL("./", document.currentScript.src).pathname;

window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  if (!element) {
    return;
  }
  // The site's root, also when the page links relatively ("../"); Pagefind wants paths.
  var root = new URL(element.getAttribute("data-base-url") || "/", window.location.href);
  var folder = new URL("pagefind/", root);

  function say(text) {
    var message = document.createElement("p");
    message.className = "search-status";
    message.textContent = text;
    element.replaceChildren(message);
  }

  function start(bundles) {
    if (!bundles.length || typeof PagefindUI === "undefined") {
      say("目前还没有可以搜索的项目。");
      return;
    }
    var paths = bundles.map(function (bundle) {
      return new URL(bundle, folder).pathname;
    });
    var baseUrl = root.pathname;
    var ui = new PagefindUI({
      element: "#search",
      // Not a bundle: the module that merges them (./pagefind.js), fed every year's bundle.
      bundlePath: searchFolder,
      mergeIndex: paths.map(function (path) {
        return { bundlePath: path, baseUrl: baseUrl };
      }),
      baseUrl: baseUrl,
      showImages: false,
      showSubResults: true,
      resetStyles: false,
    });
    // Pagefind's box has only a title and a placeholder, which screen readers may not
    // announce (axe: label-title-only): give it a name of its own.
    var box = element.querySelector("input.pagefind-ui__search-input");
    if (box) {
      box.setAttribute("aria-label", "搜索项目、单位、指标");
    }
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }

  fetch(new URL("bundles.json", folder))
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status + " " + response.url);
      }
      return response.json();
    })
    .then(function (listing) {
      start(listing.bundles || []);
    })
    .catch(function () {
      say("搜索索引无法加载，请稍后再试。");
    });
});
