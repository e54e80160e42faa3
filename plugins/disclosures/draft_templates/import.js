// The import page of `make edit` (/__import/, import_desk.py): a pasted table or a picked file
// is posted as JSON to /__import; the drafts written into data/ are listed with their problems
// and the importer's unplaced text, each with a link that opens it in the editor. The drafts
// still in data/ (not saved in the editor) are listed too (/__import/drafts), each with a
// control that removes it once confirmed (/__import/remove); the line at the top says whether
// the local preview rebuilt (/__build/state). Every text shown is set as text (never as
// HTML): it comes from the table.
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
  var buildState = document.getElementById("build-state");
  var draftsList = document.getElementById("import-drafts-list");
  var dialog = document.getElementById("remove-dialog");
  var shownInResult = {}; // files the last import listed: not listed twice
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

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () {
        return { error: "服务器回答 / the server answered " + response.status };
      });
    });
  }

  // How a draft is removed depends on what git knows of it (LocalEditor.discard).
  var REMOVE = {
    "new": {
      button: "删除草稿… / remove the draft…",
      how: "它还没在编辑器里保存过（没有提交）：只删除这个文件，不产生提交；git 里没有它，删除后找不回来，需要时请重新导入原表。/ It was never saved (never committed): only the file is deleted, nothing is committed, and git cannot bring it back; import the table again if needed.",
    },
    "changed": {
      button: "删除草稿（撤销导入的改动）… / remove the draft (undo the import)…",
      how: "这是已经保存过的项目，之后的改动还没保存（导入加的内容，例如自评结果；也包括用别的软件直接改的）：撤销全部这些改动，文件恢复成上次保存的样子，不产生提交。/ A project saved before whose later changes are not saved (what an import added, e.g. self-evaluation results, or edits made with another program): all of them are undone and the file is as last saved; nothing is committed.",
    },
  };

  function confirmRemove(draft) {
    document.getElementById("remove-what").textContent =
      "“" + draft.title + "”，文件 / file: " + draft.file;
    document.getElementById("remove-how").textContent = REMOVE[draft.state].how;
    dialog.returnValue = "";
    dialog.showModal();
    return new Promise(function (resolve) {
      dialog.addEventListener("close", function closed() {
        dialog.removeEventListener("close", closed);
        resolve(dialog.returnValue === "remove");
      });
    });
  }

  function removeControl(draft, article) {
    var button = element("button", REMOVE[draft.state].button, "import-remove");
    button.type = "button";
    button.addEventListener("click", function () {
      confirmRemove(draft).then(function (confirmed) {
        if (!confirmed) {
          button.focus();
          return null;
        }
        button.disabled = true;
        return post("/__import/remove", { file: draft.file, state: draft.state }).then(
          function (answer) {
            var said = element("p", null, "import-removed");
            said.tabIndex = -1;
            if (answer.error) {
              said.textContent = answer.error;
              said.className = "import-remove-refused";
              button.disabled = false;
              article.appendChild(said);
            } else {
              said.textContent = "“" + draft.title + "”：" + answer.done + "（" + draft.file + "）";
              replaceDraft(article, draft, said);
            }
            said.focus();
            listDrafts();
          }
        );
      });
    });
    return button;
  }

  // What a draft became (removed or saved): said in its place, or above the list of drafts,
  // which is drawn again without it.
  function replaceDraft(article, draft, said) {
    if (draftsList.contains(article)) {
      draftsList.parentNode.insertBefore(said, draftsList);
    } else {
      while (article.firstChild) article.removeChild(article.firstChild);
      article.appendChild(element("h3", draft.title));
      article.appendChild(said);
    }
  }

  // A draft that needs no change is saved here: Decap shows a file on disk as 已发布 (nothing
  // to save) until something in the form changes. Checked like every save, then committed.
  function saveControl(draft, article) {
    var button = element("button", "核对无误，保存（检查后提交）/ checked: save it as it is", "import-save");
    button.type = "button";
    button.addEventListener("click", function () {
      button.disabled = true;
      post("/__import/save", { file: draft.file, state: draft.state }).then(function (answer) {
        var said = element("p", null, answer.error ? "import-save-refused" : "import-saved");
        said.tabIndex = -1;
        said.style.whiteSpace = "pre-line";
        if (answer.error) {
          said.textContent = answer.error;
          button.disabled = false;
          article.appendChild(said);
        } else {
          said.textContent = "“" + draft.title + "”：" + answer.done + "（" + draft.file + "）";
          replaceDraft(article, draft, said);
        }
        said.focus();
        listDrafts();
      });
    });
    return button;
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
    var controls = element("p", null, "import-controls");
    if (!draft.errors.length && (draft.state === "new" || draft.state === "changed")) {
      controls.appendChild(saveControl(draft, article));
      controls.appendChild(document.createTextNode(" "));
    }
    if (REMOVE[draft.state]) controls.appendChild(removeControl(draft, article));
    if (controls.firstChild) article.appendChild(controls);
    return article;
  }

  function listDrafts() {
    return post("/__import/drafts", {}).then(function (answer) {
      while (draftsList.firstChild) draftsList.removeChild(draftsList.firstChild);
      if (answer.error) {
        draftsList.appendChild(element("p", answer.error));
        return;
      }
      if (!answer.git) {
        draftsList.appendChild(element("p", "这个文件夹不是 git 仓库，分不出哪些文件是草稿。/ Not a git checkout: drafts cannot be told apart."));
        return;
      }
      var others = answer.drafts.filter(function (draft) { return !shownInResult[draft.file]; });
      if (!others.length) {
        draftsList.appendChild(element("p", answer.drafts.length
          ? "没有别的草稿（上面刚导入的除外）。/ No other drafts."
          : "没有还没保存的草稿。/ No unsaved drafts.", "import-no-drafts"));
      }
      others.forEach(function (draft) { draftsList.appendChild(showDraft(draft)); });
    });
  }

  // Whether the local preview rebuilt: a draft with errors in data/ stops it.
  var BUILD_WORDS = {
    building: "本机预览正在重新生成… / The local preview is rebuilding…",
    failed: "本机预览没有更新：最近一次生成失败，通常是 data/ 里有带错误的草稿（见下面的“还没保存的草稿”）。请在编辑器里改正后保存，或者删除它；在那之前看到的是上一次生成的网站。/ The local preview did not rebuild: the last build failed, usually because of a draft with errors in data/ (see the drafts below). Correct and save it in the editor, or remove it; until then the site shown is the previous build.",
    ok: "本机预览是最新的。/ The local preview is up to date.",
  };

  function showBuild() {
    return fetch("/__build/state").then(function (response) { return response.json(); })
      .then(function (state) {
        var now = state.building ? "building" : state.failed ? "failed" : "ok";
        if (buildState.getAttribute("data-state") !== now) {
          buildState.setAttribute("data-state", now);
          buildState.textContent = BUILD_WORDS[now];
        }
      }).catch(function () {});
  }

  function show(answer) {
    while (heading.nextSibling) result.removeChild(heading.nextSibling);
    shownInResult = {};
    (answer.drafts || []).forEach(function (draft) { shownInResult[draft.file] = true; });
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
      .then(function (answer) {
        show(answer);
        return listDrafts();
      })
      .catch(function (error) {
        show({ error: "导入失败 / the import failed: " + error });
      })
      .then(function () {
        button.disabled = false;
        button.textContent = "导入 / Import";
      });
  });

  showBuild();
  setInterval(showBuild, 2000); // the rebuild after an import, an edit or a removal
  listDrafts();
})();
