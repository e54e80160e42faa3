/*
 * The browser editor: registers the project file format and the project-page preview with
 * Decap CMS, then starts it (admin/index.html loads init.js, decap-cms.js, js-yaml, fields.js,
 * format.js and this file, in that order; no inline script, no other host).
 */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var spec = window.DISCLOSURE_FORMAT;
  var format = window.DisclosureFormat;

  CMS.registerCustomFormat("disclosure-yaml", "yaml", {
    fromFile: function (text) {
      return format.fromFile(text);
    },
    toFile: function (data) {
      return format.toFile(data, spec);
    },
  });

  // In local mode (`make edit`) the development server offers the site's own validator:
  // a save with errors is refused, and a dialog says why in the form's words, with the line
  // of the file (the same problems `disclosures validate --format editor` prints).
  function refusal(title, intro, problems) {
    var dialog = document.getElementById("disclosure-refusal");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "disclosure-refusal";
      dialog.setAttribute("role", "alertdialog");
      dialog.setAttribute("aria-labelledby", "disclosure-refusal-title");
      dialog.setAttribute("aria-describedby", "disclosure-refusal-intro");
      document.body.appendChild(dialog);
    }
    dialog.textContent = "";
    var heading = document.createElement("h2");
    heading.id = "disclosure-refusal-title";
    heading.textContent = title;
    var lead = document.createElement("p");
    lead.id = "disclosure-refusal-intro";
    lead.textContent = intro;
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem; // text only: never HTML from the server
      list.appendChild(item);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "知道了，去改正";
    close.addEventListener("click", function () { dialog.close(); });
    dialog.append(heading, lead, list, close);
    if (dialog.open) dialog.close();
    dialog.showModal();
    close.focus();
  }

  if (window.DISCLOSURE_VALIDATE_URL) {
    CMS.registerEventListener({
      name: "preSave",
      handler: function (event) {
        var data = event.entry.get("data").toJS();
        var body = format.toFile(data, spec);
        return fetch(window.DISCLOSURE_VALIDATE_URL, {
          method: "POST",
          headers: { "Content-Type": "text/yaml; charset=utf-8" },
          body: body,
        })
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
          })
          .catch(function (error) {
            var why = "没有保存：无法连接网站的检查程序（" + error.message + "）。请确认 make edit 仍在运行，然后再保存。";
            refusal("没有保存", why, []);
            throw new Error(why);
          })
          .then(function (result) {
            if (result.errors && result.errors.length) {
              refusal(
                "没有保存：数据有错误",
                "网站的检查程序发现下面的问题，文件没有写入。请改正后再点“发布”。",
                result.errors
              );
              throw new Error("没有保存：数据有错误，请改正后再保存。\n" + result.errors.join("\n"));
            }
            return undefined;
          });
      },
    });
  }

  // -- preview: the main parts of the project page, with the site's own stylesheet ---------
  CMS.registerPreviewStyle(new URL("../theme/css/site.css", window.location.href).href);

  function text(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  function yuan(value) {
    if (text(value).trim() === "") return "—";
    var whole = format.moneyToYuan(text(value));
    if (whole === null) return text(value);
    return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function paragraphs(value) {
    return text(value)
      .split(/\n\s*\n/)
      .filter(function (p) { return p.trim(); })
      .map(function (p, i) { return h("p", { key: i }, p); });
  }

  // Narratives as the site renders them (plugins/disclosures/markup.py): markdown-it,
  // CommonMark with tables, raw HTML off (tags are shown as text), its link check refusing
  // javascript:, vbscript:, file: and data: URLs.
  var markdown = window.markdownit("commonmark", { html: false, linkify: false, typographer: false })
    .enable("table");

  function narrative(value) {
    return h("div", { dangerouslySetInnerHTML: { __html: markdown.render(text(value)) } });
  }

  function row(label, value, key) {
    if (text(value).trim() === "") return null;
    return h("tr", { key: key }, h("th", { scope: "row" }, label), h("td", {}, text(value)));
  }

  function labelOf(collection, path) {
    var fields = collection.get("fields");
    var found = null;
    path.forEach(function (name) {
      found = fields && fields.find(function (f) { return f.get("name") === name; });
      fields = found && found.get("fields");
    });
    return found ? found.get("label") : path[path.length - 1];
  }

  // The self-evaluation block, whatever fields.py declares in it: scalars as a table of
  // label and value, lists of rows as tables with a column per field (labels from the form).
  function selfEvaluation(collection, block) {
    if (!block || typeof block !== "object") return null;
    var spec = collection.get("fields").find(function (f) { return f.get("name") === "selfeval"; });
    if (!spec) return null;
    var parts = [];
    var scalars = [];
    spec.get("fields").forEach(function (f) {
      var name = f.get("name");
      var value = block[name];
      if (value === undefined || value === null || value === "") return;
      if (f.get("widget") === "list" && Array.isArray(value)) {
        var columns = f.get("fields").toArray();
        parts.push(h("table", { className: "listing", key: name },
          h("caption", {}, f.get("label")),
          h("thead", {}, h("tr", {}, columns.map(function (c) {
            return h("th", { scope: "col", key: c.get("name") }, c.get("label"));
          }))),
          h("tbody", {}, value.map(function (row, i) {
            return h("tr", { key: i }, columns.map(function (c) {
              return h("td", { key: c.get("name") }, text(row && row[c.get("name")]));
            }));
          }))));
      } else if (typeof value !== "object") {
        scalars.push(row(f.get("label"), value, name));
      } else {
        (f.get("fields") || []).forEach(function (c) {
          var inner = value[c.get("name")];
          if (inner !== null && typeof inner === "object") return; // rows of rows: in the form
          scalars.push(row(f.get("label") + " · " + c.get("label"), inner, name + c.get("name")));
        });
      }
    });
    if (!parts.length && !scalars.filter(Boolean).length) return null;
    return h("section", { className: "selfeval" },
      h("h2", {}, spec.get("label")),
      h("table", { className: "fields" }, h("tbody", {}, scalars)),
      parts);
  }

  var ProjectPreview = window.createClass({
    render: function () {
      var entry = this.props.entry;
      var collection = this.props.collection;
      var data = entry.get("data").toJS();
      var shanghai = data.form === "shanghai";
      var label = function () { return labelOf(collection, [].slice.call(arguments)); };
      var sections = data.sections || {};
      var budget = data.budget || {};
      var indicators = data.indicators || [];
      var sectionKeys = Object.keys(sections).filter(function (k) { return text(sections[k]).trim(); });
      var budgetRows = Object.keys(budget).filter(function (k) { return k !== "lines"; });
      return h(
        "main",
        { className: "wrap" },
        h(
          "article",
          { className: "disclosure" },
          h("p", { className: "form-title" },
            (shanghai ? "财政项目支出绩效目标表" : "项目支出绩效目标表") + "（" + text(data.year) + "年度）"),
          h("h1", {}, text(data.name) || "（项目名称）"),
          h("section", {},
            h("h2", {}, "基本信息"),
            h("table", { className: "fields" }, h("tbody", {},
              row("年度", data.year, "year"),
              row(label("unit"), data.unit, "unit"),
              row("项目名称", data.name, "name"),
              row(label("department"), data.department, "department"),
              row(label("category"), data.category, "category"),
              row(label("period"), data.period, "period"),
              row(label("start"), data.start, "start"),
              row(label("end"), data.end, "end"),
              (data.extra || []).map(function (e, i) { return row(e.label, e.value, "extra" + i); }),
              row(label("published"), data.published, "published"),
              row(label("source"), data.source, "source")))),
          sectionKeys.map(function (k) {
            return h("section", { className: "narrative", key: k },
              h("h2", {}, label("sections", k)), narrative(sections[k]));
          }),
          !budgetRows.length && !(budget.lines || []).length ? null : h("section", { className: "budget" },
            h("h2", {}, shanghai ? "本项目上年度市级财政资金使用情况" : "项目资金"),
            h("table", { className: "money" },
              h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "项目"),
                h("th", { scope: "col", className: "num" }, "金额（元）"))),
              h("tbody", {},
                budgetRows.map(function (k) {
                  return h("tr", { key: k }, h("th", { scope: "row" }, label("budget", k)),
                    h("td", { className: "num" }, yuan(budget[k])));
                }),
                (budget.lines || []).map(function (line, i) {
                  return h("tr", { key: "l" + i }, h("th", { scope: "row" }, text(line.label)),
                    h("td", { className: "num" }, yuan(line.amount)));
                })))),
          h("section", {},
            h("h2", {}, shanghai ? text(data.year) + "年绩效目标" : "绩效指标"),
            h("table", { className: "indicators" },
              h("caption", {}, "绩效指标（" + indicators.length + " 项）"),
              h("thead", {}, h("tr", {},
                h("th", { scope: "col" }, label("indicators", "level1")),
                h("th", { scope: "col" }, label("indicators", "level2")),
                h("th", { scope: "col" }, label("indicators", "name")),
                h("th", { scope: "col" }, label("indicators", "target")))),
              h("tbody", {}, indicators.map(function (row, i) {
                return h("tr", { key: i },
                  h("td", {}, text(row.level1)), h("td", {}, text(row.level2)),
                  h("th", { scope: "row" }, text(row.name)),
                  h("td", { className: "target" }, text(row.target)));
              })))),
          selfEvaluation(collection, data.selfeval),
          text(data.notes).trim()
            ? h("section", { className: "notes" }, h("h2", {}, "编辑说明"), paragraphs(data.notes))
            : null
        )
      );
    },
  });
  CMS.registerPreviewTemplate("shanghai", ProjectPreview);
  CMS.registerPreviewTemplate("national", ProjectPreview);

  // -- accessibility: names Decap's interface leaves out (axe: frame-title, button-name) ---
  var labelCount = 0;

  function nameUnnamed(root) {
    // The raw Markdown editor is a contenteditable textbox that Decap's <label> does not name:
    // point it at the label of its field.
    root.querySelectorAll("[role=textbox]:not([aria-label]):not([aria-labelledby])").forEach(
      function (box) {
        for (var at = box.parentElement; at && at !== root; at = at.parentElement) {
          var label = at.querySelector(":scope > label, :scope > [class*=ControlTopbar] > label");
          if (!label) continue;
          if (!label.id) label.id = "disclosure-label-" + ++labelCount;
          box.setAttribute("aria-labelledby", label.id);
          return;
        }
      }
    );
    root.querySelectorAll("iframe:not([title])").forEach(function (frame) {
      frame.setAttribute("title", "项目页面预览");
    });
    root.querySelectorAll("[class*=TopBar]").forEach(function (bar) {
      var buttons = bar.querySelectorAll("button:not([aria-label])");
      if (bar.querySelector("[aria-roledescription=sortable]:not([aria-label])")) {
        bar.querySelector("[aria-roledescription=sortable]").setAttribute("aria-label", "拖动以调整顺序");
      }
      if (buttons.length === 2) {
        buttons[0].setAttribute("aria-label", "展开或折叠此行");
        buttons[1].setAttribute("aria-label", "删除此行");
      }
    });
    root.querySelectorAll("button:not([aria-label])").forEach(function (button) {
      if (!button.textContent.trim() && button.querySelector("svg")) {
        button.setAttribute("aria-label", "展开或折叠");
      }
    });
  }
  new MutationObserver(function () { nameUnnamed(document); }).observe(document.body, {
    childList: true,
    subtree: true,
  });

  CMS.init();
})();
