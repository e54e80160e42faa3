/* Progressive enhancement for the indicator index and indicator pages: sort a table by a
   column, filter its rows by text. Without JavaScript every table is complete and readable;
   the controls are created here, so a reader without JavaScript never sees a dead control.
   No inline script anywhere (the Content-Security-Policy forbids it). */
(function () {
  "use strict";

  // A number after an operator as the forms write it (≥95%, >=95%, ＞3, =100%): sorted by
  // the number. Whichever way a column is sorted, numbers come first, then words (良好,
  // 按期完成), then blanks (—, 原表为空).
  var NUMBER = /^(?:[=<>≥≤＝＜＞≧≦]{1,2})?\s*-?[\d,]+(\.\d+)?/;
  var BLANK = /^(—|－|-|)$/;

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function sortKey(text) {
    if (BLANK.test(text)) {
      return { rank: 2, text: text };
    }
    var match = NUMBER.exec(text);
    if (match) {
      return { rank: 0, number: parseFloat(match[0].replace(/[^\d.\-]/g, "")), text: text };
    }
    return { rank: 1, text: text };
  }

  // Two keys of one rank: one total order, so every sort is consistent.
  function compare(a, b) {
    if (a.rank === 0 && a.number !== b.number) {
      return a.number < b.number ? -1 : 1;
    }
    return a.text.localeCompare(b.text, "zh-CN");
  }

  function makeSortable(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent.trim();
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) {
          h.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var keys = new Map();
        rows.forEach(function (row) {
          keys.set(row, sortKey(cellText(row, index)));
        });
        rows.sort(function (r1, r2) {
          var a = keys.get(r1);
          var b = keys.get(r2);
          if (a.rank !== b.rank) {
            return a.rank - b.rank;
          }
          var order = compare(a, b);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) {
          body.appendChild(row);
        });
      });
    });
  }

  function makeFilter(holder, number) {
    var tables = document.querySelectorAll(holder.getAttribute("data-filter-target"));
    var label = document.createElement("label");
    var input = document.createElement("input");
    var status = document.createElement("p");
    input.type = "search";
    input.id = "table-filter-" + number;
    label.htmlFor = input.id;
    label.textContent = holder.getAttribute("data-filter-label");
    status.setAttribute("role", "status");
    status.className = "filter-status";
    holder.appendChild(label);
    holder.appendChild(input);
    holder.appendChild(status);
    holder.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.trim();
      var shown = 0;
      Array.prototype.forEach.call(tables, function (table) {
        var visible = 0;
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var match = !words || row.textContent.indexOf(words) !== -1;
          row.hidden = !match;
          if (match) {
            visible += 1;
          }
        });
        shown += visible;
        var section = table.closest("section");
        if (section && holder.hasAttribute("data-hide-sections")) {
          section.hidden = Boolean(words) && visible === 0;
        }
      });
      status.textContent = words ? "符合“" + words + "”的共 " + shown + " 行" : "";
    });
  }

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  document.querySelectorAll("[data-filter-target]").forEach(makeFilter);
})();
