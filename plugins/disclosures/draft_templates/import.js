// The import page of `make edit` (/__import/, import_desk.py): a pasted table or a picked file
// is posted as JSON to /__import; the drafts written into data/ are listed with their problems
// and the importer's unplaced text, each with a link that opens it in the editor. Every text
// shown is set as text (never as HTML): it comes from the table.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  var pasted = document.getElementById("pasted");
  var kind = document.getElementById("pasted-kind");
  var file = document.getElementById("file");
  var encoding = document.getElementById("encoding");
  var button = document.getElementById("import-button");
  var result = document.getElementById("import-result");
  var heading = document.getElementById("import-result-heading");
  // A table copied from a web page comes with its HTML: cells stay cells (the importer reads
  // it as a saved web page). Used while the text is the one pasted.
  var pastedHtml = null;
  var pastedText = null;

  pasted.addEventListener("paste", function (event) {
    var data = event.clipboardData;
    var html = data ? data.getData("text/html") : "";
    if (html && /<table[\s>]/i.test(html)) {
      pastedHtml = html;
      pastedText = null;
      kind.textContent = "已粘贴网页表格（按网页表格导入）/ a web table was pasted (imported as a web page)";
      setTimeout(function () { pastedText = pasted.value; }, 0);
    } else {
      pastedHtml = null;
      kind.textContent = "";
    }
  });

  function base64(buffer) {
    var bytes = new Uint8Array(buffer);
    var parts = [];
    for (var i = 0; i < bytes.length; i += 0x8000) {
      parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
    }
    return btoa(parts.join(""));
  }

  function request() {
    var chosen = file.files && file.files[0];
    if (chosen) {
      return chosen.arrayBuffer().then(function (buffer) {
        return { name: chosen.name, base64: base64(buffer), encoding: encoding.value || null };
      });
    }
    if (pastedHtml && pasted.value === pastedText) {
      return Promise.resolve({ name: "粘贴的表格.html", text: pastedHtml });
    }
    return Promise.resolve({ name: "粘贴的表格.txt", text: pasted.value });
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function list(title, lines, className) {
    var section = element("div", null, className);
    section.appendChild(element("h4", title + "（" + lines.length + "）"));
    var items = element("ul");
    lines.forEach(function (line) { items.appendChild(element("li", line)); });
    section.appendChild(items);
    return section;
  }

  function showDraft(draft) {
    var article = element("article", null, "import-draft");
    article.appendChild(element("h3", draft.title));
    article.appendChild(element("p", "文件 / file: " + draft.file, "import-file"));
    if (draft.editor_url) {
      var open = element("a", "在编辑器中打开、核对并保存 / open it in the editor", "import-open");
      open.href = draft.editor_url;
      article.appendChild(element("p")).appendChild(open);
    } else {
      article.appendChild(element("p", "草稿没有表式（form），编辑器打不开：请重新导入或用文本编辑器补上。/ The draft has no form; the editor cannot open it."));
    }
    if (draft.errors.length) {
      article.appendChild(list("需要改正的问题 / problems to correct", draft.errors, "import-errors"));
    } else {
      article.appendChild(element("p", "检查通过 / no errors", "import-ok"));
    }
    if (draft.warnings.length) {
      article.appendChild(list("提醒 / warnings", draft.warnings, "import-warnings"));
    }
    draft.notes.forEach(function (note) {
      article.appendChild(list(note.title, note.lines, "import-draft-notes"));
    });
    return article;
  }

  function show(answer) {
    while (heading.nextSibling) result.removeChild(heading.nextSibling);
    result.appendChild(element("p", answer.summary || answer.error, "import-summary"));
    (answer.drafts || []).forEach(function (draft) { result.appendChild(showDraft(draft)); });
    if (answer.said && answer.said.length) {
      var details = element("details", null, "import-said");
      details.appendChild(element("summary", "导入程序的输出 / what the importer said"));
      details.appendChild(element("pre", answer.said.join("\n")));
      if (!(answer.drafts || []).length) details.open = true;
      result.appendChild(details);
    }
    result.hidden = false;
    heading.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!(file.files && file.files[0]) && !pasted.value.trim()) {
      show({ error: "请先粘贴表格或选择文件。/ Paste a table or pick a file first." });
      return;
    }
    button.disabled = true;
    button.textContent = "正在导入… / importing…";
    request()
      .then(function (body) {
        return fetch("/__import", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
      })
      .then(function (response) { return response.json(); })
      .then(show)
      .catch(function (error) {
        show({ error: "导入失败 / the import failed: " + error });
      })
      .then(function () {
        button.disabled = false;
        button.textContent = "导入 / Import";
      });
  });
})();
