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

  // Through a git host (Gitea, Forgejo, GitLab, GitHub) there is no server of ours before the
  // commit: the host's pre-receive hook (deploy/) is the door. Decap only says “保存内容失败:
  // API_ERROR”, so a refused write to the host is explained here in the editor's words, with
  // the hook's own lines when the host passes them on. Gitea and Forgejo in production mode
  // pass them on to site administrators only (an empty message for everybody else).
  function hookLines(text) {
    // git prints a hook's lines as `remote: …` (Gitea's message starts “PushRejected Error:
    // exit status 1: remote: …”); git's own lines (“To …”, “! [remote rejected]”) are left
    // out. GitLab keeps only a hook's `GL-HOOK-ERR:` lines and passes them on without the
    // prefix, joined by <br> in some versions (Gitlab::Git::PreReceiveError; not tested
    // here): those are recognised by the door's own headline. The door checks the whole data
    // folder and lists every file's warnings: only the problems that refused the save are
    // shown, and the warnings are counted.
    var lines = String(text || "").split(/\r?\n|<br\s*\/?>/i);
    var prefixed = [];
    lines.forEach(function (line) {
      var said = /(?:^|\s)(?:remote|GL-HOOK-ERR): ?(.*)$/.exec(line);
      if (said) prefixed.push(said[1]);
    });
    if (!prefixed.length && /推送被拒绝/.test(text || "")) prefixed = lines;
    var found = [];
    var warnings = 0;
    prefixed.forEach(function (line) {
      var words = line.trim();
      if (!words) return;
      if (/警告 warning:/.test(words)) warnings += 1;
      else found.push(words);
    });
    if (found.length && warnings) found.push("（另有 " + warnings + " 条警告，不影响发布）");
    return found;
  }

  // The site's check before saving, through a git host (deploy/editorcheck.py, run by the
  // site's operator from the trusted copy the door runs): the file the editor is about to
  // commit is checked by the same `disclosures validate --format editor` as at the door, and
  // a file with errors is not sent, with the door's own lines in the form's words. Gitea and
  // Forgejo hide those lines from everyone but site administrators, so without this check an
  // editor would learn only THAT the door refused. If the check cannot answer (down, busy,
  // too slow) the save goes on: the door still checks it.
  function entryPath(entry, data) {
    var path = entry.get("path");
    if (path) return path;
    // A new entry has no path yet: the one Decap will give it (config.yml), for the messages.
    var parts = [data.year, data.unit, data.name].map(function (part) {
      return String(part || "").replace(/[\/\\]/g, "-").trim();
    }).filter(Boolean);
    return "data/" + (parts.length ? parts.join("/") : "新项目") + ".yaml";
  }

  if (!window.DISCLOSURE_VALIDATE_URL && window.DISCLOSURE_CHECK_URL) {
    CMS.registerEventListener({
      name: "preSave",
      handler: function (event) {
        var data = event.entry.get("data").toJS();
        var path = entryPath(event.entry, data);
        return fetch(window.DISCLOSURE_CHECK_URL, {
          method: "POST",
          headers: {
            "Content-Type": "text/yaml; charset=utf-8",
            "X-Disclosures-Entry": encodeURIComponent(path),
          },
          body: format.toFile(data, spec),
          credentials: "omit",
        })
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
          })
          .catch(function (error) {
            if (window.console) console.warn("网站的保存前检查没有回答，交给发布关口检查：", error);
            return null;
          })
          .then(function (result) {
            if (!result || result.valid !== false) return undefined;
            var lines = (result.errors || []).slice();
            if (result.warnings) lines.push("（另有 " + result.warnings + " 条警告，不影响发布）");
            refusal(
              "没有保存：数据有错误",
              "网站的检查程序（与发布关口相同）发现下面的问题，这次没有保存，仓库和网站都没有改变。请按提示改正后再点“发布”。",
              lines
            );
            throw new Error("没有保存：数据有错误，请改正后再保存。\n" + lines.join("\n"));
          });
      },
    });
  }

  var CHANGED_MEANWHILE = "changed-meanwhile";

  function explainRefusal(status, message) {
    var said = hookLines(message);
    if (message === CHANGED_MEANWHILE) {
      refusal("没有保存：别人刚改过这个项目", "您打开这个项目以后，有人（同事，或您在另一个窗口里）修改并发布了它。为了不覆盖那次修改，这次没有保存，仓库和网站都没有改变。", [
        "请先把您这次的改动记下来，然后刷新页面（按 F5），打开这个项目的最新版本，再把改动填进去并发布。",
      ]);
    } else if (status === 401 || status === 403) {
      refusal("没有保存：没有写入权限", "代码托管平台拒绝了这次保存（HTTP " + status + "）：登录已过期，或您的账号没有这个仓库的写入权限。请重新登录；仍不行时请联系网站管理员。", message ? [message] : []);
    } else if (said.length) {
      refusal("没有发布：发布关口拒绝了这次保存", "代码托管平台上的检查程序（发布关口）拒绝了这次保存，仓库和网站都没有改变。请按下面的提示改正后再点“发布”。", said);
    } else if ((status >= 500 && !message) || (status === 422 && /^Reference update failed/.test(message))) {
      // Gitea in production: a 500 without a message; GitHub: a ref update its pre-receive
      // hook declined answers only “Reference update failed”.
      refusal("没有发布：保存被拒绝", "代码托管平台拒绝了这次保存（HTTP " + status + "），仓库和网站都没有改变。平台没有把原因告诉编辑器（Gitea 只向管理员显示检查程序的提示，GitHub 只说“Reference update failed”）。", [
        "最常见的原因是数据有错误，例如“项目起止时间”与“计划开始日期”同时填写。请检查刚才改动的栏目。",
        "要知道确切原因，请把这一页截图发给网站管理员：管理员在平台上能看到检查程序的提示；也可以在自己的电脑上用 make edit 保存同一份数据，错误会直接显示。",
      ]);
    } else if (status === 409 || /sha does not match|already exists|changed since you started editing|not a fast forward/i.test(message)) {
      refusal("没有保存：文件已被改动", "代码托管平台拒绝了这次保存（HTTP " + status + "），仓库和网站都没有改变：文件在您编辑期间被别人改过。请刷新页面，在最新版本上重新修改后再保存。", message ? [message] : []);
    } else {
      refusal("没有保存", "代码托管平台拒绝了这次保存（HTTP " + status + "），仓库和网站都没有改变。平台的说明：", String(message || "").split(/\r?\n/).filter(Boolean));
    }
  }

  // Decap's Gitea and Forgejo backends look up a file's blob when saving, not when it was
  // opened: a change a colleague published in between would be overwritten without a word
  // (last writer wins; tests/browser/test_admin_gitea.py showed it). So the blob each file had
  // in the entry listing Decap read it from is kept here, and a save whose file has another
  // blob by then is not sent.
  var basedOn = {}; // path in the repository -> blob sha the editor's copy comes from

  function decoded(text) {
    try {
      return decodeURIComponent(text);
    } catch (error) {
      return text; // a literal “%” in a name
    }
  }

  function noteListing(target, response) {
    // GET …/git/trees/{ref}:{folder}?recursive=1: the listing entries are read from. The
    // save's own look-up of the current blob is not recursive (or the contents API), so it
    // never replaces what the editor's copy is based on.
    if (/\/projects\/[^/]+\/repository\/tree$/.test(target.pathname)) {
      // GitLab: GET /projects/:id/repository/tree?path=data&recursive=true (each page of it),
      // entries named by their full path, `id` the blob.
      if (target.searchParams.get("recursive") !== "true") return;
      response.clone().json().then(function (listing) {
        (Array.isArray(listing) ? listing : []).forEach(function (item) {
          if (item.type === "blob") basedOn[item.path] = item.id;
        });
      }).catch(function () { /* not a listing */ });
      return;
    }
    var found = /\/git\/trees\/[^:/]+:([^/?]*)$/.exec(target.pathname);
    if (!found || !target.searchParams.has("recursive")) return;
    var folder = decoded(found[1]);
    response.clone().json().then(function (listing) {
      (listing.tree || []).forEach(function (item) {
        if (item.type === "blob") basedOn[folder + "/" + decoded(item.path)] = item.sha;
      });
    }).catch(function () { /* not a listing */ });
  }

  function blobSha(base64) {
    // git's blob id: SHA-1 of "blob <size>\0" followed by the bytes.
    var bytes = Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
    var head = new TextEncoder().encode("blob " + bytes.length + "\0");
    var all = new Uint8Array(head.length + bytes.length);
    all.set(head);
    all.set(bytes, head.length);
    return crypto.subtle.digest("SHA-1", all).then(function (digest) {
      return Array.from(new Uint8Array(digest)).map(function (b) {
        return b.toString(16).padStart(2, "0");
      }).join("");
    });
  }

  function changedMeanwhile(files) {
    return files.some(function (file) {
      var known = basedOn[file.from_path || file.path];
      return known && file.sha && known !== file.sha;
    });
  }

  function refusedMeanwhile() {
    explainRefusal(409, CHANGED_MEANWHILE);
    var body = JSON.stringify({ message: "changed since it was opened" });
    return Promise.resolve(new Response(body, {
      status: 409, headers: { "Content-Type": "application/json" },
    }));
  }

  // Decap's GitLab backend commits with POST /projects/:id/repository/commits, `update`
  // actions without `last_commit_id`, so GitLab writes over whatever the file has by then
  // (last writer wins). Before it is sent, each updated file's current blob and last commit are
  // asked (HEAD …/repository/files/:path, as Decap's own getFileId does): another blob than
  // the one the editor's copy comes from is refused here; otherwise the action carries that
  // `last_commit_id`, so GitLab itself refuses a change made in between (its “has changed
  // since you started editing it”).
  // The HEAD's answer is in headers (X-Gitlab-Blob-Id, X-Gitlab-Last-Commit-Id), which a page
  // on another origin reads only if CORS exposes them: GitLab does by default
  // (config/application.rb), a reverse proxy with its own CORS policy may not. Then the same
  // two values are read from the file's JSON (GET …/repository/files/:path: blob_id,
  // last_commit_id, in the body, always readable); if neither answers, nothing is saved
  // rather than saved blindly.
  function gitlabVersion(hostFetch, base, at, branch, auth) {
    var url = base + "/repository/files/" + encodeURIComponent(at) + "?ref=" + encodeURIComponent(branch);
    var headers = auth ? { Authorization: auth } : {};
    return hostFetch(url, { method: "HEAD", headers: headers, cache: "no-store" })
      .then(function (response) {
        if (response.status === 404) return { missing: true };
        var blob = response.ok && response.headers.get("X-Gitlab-Blob-Id");
        if (blob) return { blob: blob, last: response.headers.get("X-Gitlab-Last-Commit-Id") };
        return hostFetch(url, { headers: headers, cache: "no-store" }).then(function (again) {
          if (!again.ok) return { unknown: true };
          return again.json().then(function (file) {
            return file && file.blob_id ? { blob: file.blob_id, last: file.last_commit_id } : { unknown: true };
          });
        });
      })
      .catch(function () { return { unknown: true }; });
  }

  function guardGitlabCommit(hostFetch, target, init) {
    var request;
    try {
      request = JSON.parse(init.body);
    } catch (error) {
      return Promise.resolve(null);
    }
    var actions = (request && request.actions) || [];
    var auth = new Headers(init.headers || {}).get("Authorization");
    var base = target.origin + target.pathname.replace(/\/repository\/commits$/, "");
    var branch = request.start_branch || request.branch;
    return Promise.all(actions.map(function (action) {
      if (!/^(update|move|delete)$/.test(action.action)) return null;
      var at = action.previous_path || action.file_path;
      return gitlabVersion(hostFetch, base, at, branch, auth).then(function (version) {
        if (version.missing) return null; // GitLab itself refuses an update of a missing file
        if (version.unknown) return "unknown";
        var known = basedOn[at];
        if (known && known !== version.blob) return "changed";
        action.last_commit_id = version.last || undefined;
        return null;
      });
    })).then(function (found) {
      if (found.indexOf("changed") >= 0) return "changed";
      if (found.indexOf("unknown") >= 0) return "unknown";
      return Object.assign({}, init, { body: JSON.stringify(request) });
    });
  }

  function refusedUnverified() {
    refusal("没有保存：无法确认文件的版本", "编辑器问不到代码托管平台上这个文件的当前版本，无法确认您打开它以后没有别人改过。为了不覆盖别人的修改，这次没有保存，仓库和网站都没有改变。", [
      "请稍后再点“发布”；仍不行时请联系网站管理员（平台的接口没有回答文件版本，见 docs/web-editor.md 的 GitLab 一节）。",
    ]);
    var body = JSON.stringify({ message: "the file's version could not be read" });
    return Promise.resolve(new Response(body, {
      status: 409, headers: { "Content-Type": "application/json" },
    }));
  }

  // Decap's GitHub backend saves with the git data API: blobs, then a tree on top of the
  // branch as it is AT SAVE TIME (`base_tree`), a commit, and a fast-forward of the branch. A
  // file a colleague changed after the editor opened it is simply replaced (last writer
  // wins); GitHub only refuses a branch that moved between those calls. Before the tree is
  // sent, each file it replaces is looked up in `base_tree` (GET …/contents/:path?ref=, the
  // file's blob `sha`): another blob than the one the editor's copy comes from (or none) is
  // refused here. The files of a tree GitHub made are noted once the branch points to it.
  var treeSaved = null; // the entries of the editor's last tree, until the branch moves

  function encodedPath(path) {
    return path.split("/").map(encodeURIComponent).join("/");
  }

  function guardGithubTree(hostFetch, target, init) {
    var request;
    try {
      request = JSON.parse(init.body);
    } catch (error) {
      return Promise.resolve([]);
    }
    var entries = ((request && request.tree) || []).filter(function (entry) {
      return entry.type === "blob" || entry.sha === null;
    });
    var auth = new Headers(init.headers || {}).get("Authorization");
    var repo = target.pathname.replace(/\/git\/trees$/, "");
    return Promise.all(entries.map(function (entry) {
      var known = basedOn[entry.path];
      if (!known || !request.base_tree) return null;
      var at = new URL(target.origin + repo + "/contents/" + encodedPath(entry.path));
      at.searchParams.set("ref", request.base_tree);
      return hostFetch(at.href, { headers: auth ? { Authorization: auth } : {}, cache: "no-store" })
        .then(function (response) {
          if (response.status === 404) return "changed"; // gone since it was opened
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json().then(function (file) {
            return file.sha === known ? null : "changed";
          });
        });
    })).then(function (found) {
      return found.indexOf("changed") >= 0 ? "changed" : entries;
    });
  }

  // GitHub without a pre-receive hook (github.com): the door is CI, after the commit is on
  // the branch. Its `validate --format github` annotations are the door's lines in the form's
  // words; they are read back from the commit's check runs (REST: GET …/commits/{sha}/
  // check-runs, then …/check-runs/{id}/annotations) and a failed check is said in a dialog:
  // saved, but not published, and why. Polled for CHECK_MINUTES at most, then left to the
  // host's own page.
  var CHECK_MINUTES = 15;

  function followChecks(hostFetch, refUrl, init, response) {
    var repo = refUrl.pathname.match(/^(.*\/repos\/[^/]+\/[^/]+)\/git\/refs\/heads\//);
    var auth = new Headers((init && init.headers) || {}).get("Authorization");
    if (!repo || !auth) return;
    var base = refUrl.origin + repo[1];
    var headers = { Authorization: auth, Accept: "application/vnd.github+json" };
    var until = Date.now() + CHECK_MINUTES * 60000;
    response.clone().json().then(function (ref) {
      var sha = ref && ref.object && ref.object.sha;
      if (!/^[0-9a-f]{40}$/.test(sha || "")) return;
      (function poll() {
        hostFetch(base + "/commits/" + sha + "/check-runs", { headers: headers, cache: "no-store" })
          .then(function (answer) { return answer.ok ? answer.json() : { check_runs: [] }; })
          .then(function (found) {
            var runs = (found && found.check_runs) || [];
            var pending = runs.length === 0 || runs.some(function (run) { return run.status !== "completed"; });
            if (pending) {
              if (Date.now() < until) setTimeout(poll, window.DISCLOSURE_CHECK_POLL_MS || 5000);
              return;
            }
            var failed = runs.filter(function (run) {
              return ["failure", "timed_out", "action_required", "startup_failure"].indexOf(run.conclusion) >= 0;
            });
            if (failed.length) explainFailedChecks(hostFetch, base, headers, failed);
          })
          .catch(function () { /* the host's own page shows the check */ });
      })();
    }).catch(function () { /* not a ref */ });
  }

  function explainFailedChecks(hostFetch, base, headers, failed) {
    Promise.all(failed.map(function (run) {
      return hostFetch(base + "/check-runs/" + run.id + "/annotations", { headers: headers, cache: "no-store" })
        .then(function (answer) { return answer.ok ? answer.json() : []; })
        .catch(function () { return []; });
    })).then(function (lists) {
      var said = [];
      lists.forEach(function (annotations) {
        (Array.isArray(annotations) ? annotations : []).forEach(function (note) {
          if (note.annotation_level !== "failure") return;
          said.push(note.path + ":" + note.start_line + ": " + (note.title ? note.title + ": " : "") + note.message);
        });
      });
      if (!said.length) {
        said.push("检查没有通过，平台没有给出逐条说明：请在代码托管平台上打开这次提交的检查（" + failed.map(function (run) { return run.name; }).join("、") + "）查看，或把这一页截图发给网站管理员。");
      }
      refusal("已保存，但没有通过检查，网站没有更新", "这次修改已经保存到仓库，但平台上的检查程序（发布关口）发现了错误，网站没有更新，仍是上一次的样子。请在表单里按下面的提示改正后再点“发布”。", said);
    });
  }

  if (!window.DISCLOSURE_VALIDATE_URL && window.fetch) {
    var hostFetch = window.fetch.bind(window);
    window.fetch = function (resource, init) {
      var method = ((init && init.method) || (resource && resource.method) || "GET").toUpperCase();
      var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
      var target = new URL(url, location.href);
      var toHost = target.origin !== location.origin && /\/(repos|projects)\//.test(target.pathname);
      // A write to the host's repository API (not the login's token request).
      var write = toHost && method !== "GET" && method !== "HEAD";
      var files = null; // Gitea/Forgejo: POST /repos/{owner}/{repo}/contents
      if (write && method === "POST" && /\/repos\/[^/]+\/[^/]+\/contents$/.test(target.pathname)) {
        try {
          files = JSON.parse(init.body).files || null;
        } catch (error) { files = null; }
        if (files && changedMeanwhile(files)) return refusedMeanwhile();
      }
      if (write && method === "POST" && /\/projects\/[^/]+\/repository\/commits$/.test(target.pathname)) {
        return guardGitlabCommit(hostFetch, target, init).then(function (guarded) {
          if (guarded === "changed") return refusedMeanwhile();
          if (guarded === "unknown") return refusedUnverified();
          var sent = guarded || init;
          var actions = [];
          try {
            actions = JSON.parse(sent.body).actions || [];
          } catch (error) { actions = []; }
          return hostFetch(resource, sent).then(function (response) {
            if (response.ok) {
              // The editor's own commit: later saves of these files are based on it.
              actions.forEach(function (action) {
                if (action.action === "delete" || action.encoding !== "base64") return;
                blobSha(action.content).then(function (sha) { basedOn[action.file_path] = sha; });
              });
            }
            return answered(response);
          });
        });
      }
      if (write && method === "POST" && /\/repos\/[^/]+\/[^/]+\/git\/trees$/.test(target.pathname)) {
        return guardGithubTree(hostFetch, target, init).then(function (entries) {
          if (entries === "changed") return refusedMeanwhile();
          return hostFetch(resource, init).then(function (response) {
            treeSaved = response.ok ? entries : null;
            return answered(response);
          });
        });
      }
      if (write && method === "PATCH" && /\/repos\/[^/]+\/[^/]+\/git\/refs\/heads\//.test(target.pathname)) {
        var saved = treeSaved;
        return hostFetch(resource, init).then(function (response) {
          if (response.ok) followChecks(hostFetch, target, init, response);
          if (response.ok && saved) {
            // The editor's own commit: later saves of these files are based on it.
            saved.forEach(function (entry) {
              if (entry.sha) basedOn[entry.path] = entry.sha;
              else delete basedOn[entry.path];
            });
            treeSaved = null;
          }
          return answered(response);
        });
      }
      function answered(response) {
        if (write && !response.ok && response.status !== 429) {
          response.clone().text().then(function (text) {
            var message = text;
            try {
              var json = JSON.parse(text);
              message = typeof json.message === "string" ? json.message : JSON.stringify(json.message || "");
            } catch (error) { /* not JSON: the text itself */ }
            explainRefusal(response.status, message);
          });
        }
        return response;
      }
      return hostFetch(resource, init).then(function (response) {
        if (toHost && method === "GET" && response.ok) noteListing(target, response);
        if (files && response.ok) {
          // The editor's own save: later saves of these files are based on what it wrote.
          files.forEach(function (file) {
            if (file.operation === "delete" || !file.content) return;
            blobSha(file.content).then(function (sha) { basedOn[file.path] = sha; });
          });
        }
        return answered(response);
      });
    };
  }

  // -- the importer's notes: text it could not place, shown read-only at the top of the form --
  // format.js keeps a file's comments in the entry (spec.notes_field); the importer writes
  // its blocks as comments under fixed headings (importer/yamlout.py). Nothing here changes
  // them: the control never calls onChange, so a save writes them back as they were.
  function importNotes(value) {
    var kept;
    try {
      kept = JSON.parse(value || "{}");
    } catch (error) {
      return [];
    }
    var groups = kept.comments || {};
    var blocks = [];
    Object.keys(groups).forEach(function (at) {
      var lines = groups[at];
      spec.import_notes.forEach(function (note) {
        var start = lines.indexOf(note[0]);
        if (start < 0) return;
        var found = [];
        for (var i = start + 1; i < lines.length && /^#   /.test(lines[i]); i++) {
          found.push(lines[i].slice(4));
        }
        if (found.length) blocks.push({ title: note[1], lines: found });
      });
    });
    return blocks;
  }

  var ImportNotes = window.createClass({
    hideWhenEmpty: function (element) {
      // No notes (a file written by hand): the field and its label are not shown at all.
      var box = element && element.closest("[class*=ControlContainer]");
      if (box) box.hidden = true;
    },
    render: function () {
      var blocks = importNotes(this.props.value);
      if (!blocks.length) return h("div", { ref: this.hideWhenEmpty });
      return h("div", { id: this.props.forID, className: "import-notes", role: "note" },
        blocks.map(function (block, i) {
          return h("section", { key: i },
            h("h3", {}, block.title + "（" + block.lines.length + " 行）"),
            h("ul", {}, block.lines.map(function (line, j) { return h("li", { key: j }, line); })));
        }),
        h("p", {}, "这些文字在文件里是注释，不会发布。请核对后把需要的内容填到正确的栏目。"));
    },
  });
  CMS.registerWidget("disclosure-import-notes", ImportNotes);

  // -- preview: the site's own page ----------------------------------------------------
  // In local mode (`make edit`) the development server renders the entry being edited with
  // the site's templates and stylesheet (plugins/disclosures/page_preview.py): the file the
  // editor would save is posted, checked by the site's validator, and shown as the page
  // `make html` would write, problems at the top. There is no copy of the page here.
  // Through a git host there is no server to render it: the pane says where to see the page.
  CMS.registerPreviewStyle(new URL("../theme/css/site.css", window.location.href).href);

  var PagePreview = window.createClass({
    getInitialState: function () {
      return { first: null, message: "正在生成预览……" };
    },
    componentDidMount: function () {
      this.asked = 0;
      this.schedule();
    },
    componentDidUpdate: function (previous) {
      if (previous.entry !== this.props.entry) this.schedule();
    },
    componentWillUnmount: function () {
      clearTimeout(this.timer);
      this.gone = true;
    },
    schedule: function () {
      clearTimeout(this.timer);
      this.timer = setTimeout(this.load, 400); // one render after typing pauses
    },
    load: function () {
      var self = this;
      var asked = ++this.asked;
      var entry = this.props.entry;
      fetch(window.DISCLOSURE_PREVIEW_URL, {
        method: "POST",
        headers: {
          "Content-Type": "text/yaml; charset=utf-8",
          "X-Disclosures-Entry": encodeURIComponent(entry.get("path") || ""),
        },
        body: format.toFile(entry.get("data").toJS(), spec),
      })
        .then(function (response) {
          return response.json().then(function (answer) {
            if (!response.ok) throw new Error(answer.error || "HTTP " + response.status);
            return answer;
          });
        })
        .then(function (answer) {
          if (asked === self.asked && !self.gone) self.show(answer.url);
        })
        .catch(function (error) {
          if (asked !== self.asked || self.gone) return;
          self.setState({
            message: "无法生成预览：" + error.message + "。请确认 make edit 仍在运行。",
          });
        });
    },
    // The first render sets the frame's address; later ones replace its page (no history
    // entry) and keep the place the editor had scrolled to.
    show: function (url) {
      var frame = this.frame;
      if (!this.state.first || !frame) {
        this.setState({ first: url, message: null });
        return;
      }
      try {
        this.scroll = frame.contentWindow.scrollY;
        frame.contentWindow.location.replace(url);
      } catch (error) {
        frame.src = url;
      }
      this.setState({ message: null });
    },
    keepFrame: function (element) {
      this.frame = element;
    },
    restoreScroll: function () {
      if (this.frame && this.scroll) this.frame.contentWindow.scrollTo(0, this.scroll);
    },
    render: function () {
      var note = this.state.message
        ? h("p", { className: "preview-status", role: "status" }, this.state.message)
        : null;
      if (!this.state.first) return h("main", { className: "wrap" }, note);
      return h("div", {}, note, h("iframe", {
        ref: this.keepFrame,
        src: this.state.first,
        onLoad: this.restoreScroll,
        title: "项目页面预览（网站的页面，尚未保存）",
        sandbox: "allow-same-origin", // the page's markup and stylesheet; none of its scripts
        style: { border: "0", display: "block", width: "100%", height: "100vh" },
      }));
    },
  });

  function HostedPreview() {
    return h("main", { className: "wrap" }, h("article", { className: "disclosure" },
      h("h1", {}, "预览"),
      h("p", {}, "通过代码托管平台编辑时，这里不显示预览。点“发布”保存后，网站会重新生成，" +
        "这个项目的页面在几分钟内更新：请在网站上打开它查看。"),
      h("p", {}, "数据有错误时，保存会被拒绝，或者网站不会更新（平台的检查会列出问题）。" +
        "想在保存前看到网站上的页面，请用本地编辑模式（make edit，见编辑指南）。")));
  }

  var preview = window.DISCLOSURE_PREVIEW_URL ? PagePreview : HostedPreview;
  CMS.registerPreviewTemplate("shanghai", preview);
  CMS.registerPreviewTemplate("national", preview);

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
    // (A button with a title is named by it: the eye button is 打开/关闭预览, not 展开或折叠.)
    root.querySelectorAll("button:not([aria-label]):not([title])").forEach(function (button) {
      if (!button.textContent.trim() && button.querySelector("svg")) {
        button.setAttribute("aria-label", "展开或折叠");
      }
    });
  }
  function sayWhatThisIs(root) {
    // Decap's login page shows its own logo and a button, nothing else: an editor who opens
    // /admin/ for the first time is told what this is and where the guide is.
    var login = root.querySelector("[class*=StyledAuthenticationPage]");
    if (!login || login.querySelector(".disclosure-login")) return;
    var intro = document.createElement("div");
    intro.className = "disclosure-login";
    var heading = document.createElement("h1");
    heading.textContent = document.title;
    var text = document.createElement("p");
    text.textContent =
      "登录后在浏览器里修改和添加项目；每次发布都经过本站的检查，有错误不会发布。怎样使用：见本站“编辑指南”。";
    intro.appendChild(heading);
    intro.appendChild(text);
    login.insertBefore(intro, login.firstChild);
  }
  // `make edit`: the development server imports a published table (pasted or uploaded) into
  // data/ (import_desk.py); its page is linked from every page of the editor. A landmark of
  // its own, outside Decap's interface (nothing of Decap's markup is relied on).
  if (window.DISCLOSURE_IMPORT_URL) {
    var tools = document.createElement("nav");
    tools.className = "disclosure-tools";
    tools.setAttribute("aria-label", "本机编辑工具");
    var importLink = document.createElement("a");
    importLink.href = window.DISCLOSURE_IMPORT_URL;
    importLink.textContent = "导入表格（粘贴或上传）";
    tools.appendChild(importLink);
    // An entry that is an imported draft not saved yet (a file in data/ git has not got):
    // Decap shows it as 已发布 with nothing to save, so the editor is told what it is, and
    // where a draft that needs no change is saved as it is (the import page).
    var draftNote = document.createElement("p");
    draftNote.className = "disclosure-draft-note";
    draftNote.setAttribute("role", "status");
    draftNote.hidden = true;
    tools.appendChild(draftNote);
    var checkDraft = function () {
      var found = /^#\/collections\/[^/]+\/entries\/(.+)$/.exec(location.hash);
      var file = found ? "data/" + decodeURIComponent(found[1]) + ".yaml" : null;
      if (!file) {
        draftNote.hidden = true;
        return;
      }
      fetch("/__import/drafts", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          var draft = (answer.drafts || []).filter(function (d) { return d.file === file; })[0];
          if (!draft) {
            draftNote.hidden = true;
            return;
          }
          while (draftNote.firstChild) draftNote.removeChild(draftNote.firstChild);
          draftNote.appendChild(document.createTextNode(
            "这是导入后还没保存的草稿，还没有提交（右上角显示“已发布”只因为文件已在本机）。核对后：改过内容就点“发布”；不需要修改，到"));
          var link = document.createElement("a");
          link.href = window.DISCLOSURE_IMPORT_URL;
          link.textContent = "导入页面";
          draftNote.appendChild(link);
          draftNote.appendChild(document.createTextNode("点“核对无误，保存”；不要了，也在那里删除。"));
          draftNote.hidden = false;
        })
        .catch(function () { draftNote.hidden = true; });
    };
    window.addEventListener("hashchange", checkDraft);
    setInterval(checkDraft, 5000); // a save commits it: the note goes
    checkDraft();
    document.body.appendChild(tools);
  }

  // Decap's markup is marked here, found by what it is (a route, a role, a behaviour), not by
  // its generated class names; editor.css styles these marks only. What a Decap upgrade can
  // change is thus in this one function, and test_admin_phone says when it did.
  function markDecap(root) {
    // 媒体: the header's one navigation item that is a button (it opens the media library)
    // where the others are links to a page.
    root.querySelectorAll("header nav li").forEach(function (item) {
      if (item.querySelector(":scope > button") && !item.querySelector("a[href]")) {
        item.setAttribute("data-disclosure", "unused");
      }
    });
    // 点击以预览: the deploy preview's button (no deploy preview here); said by Decap's locale.
    root.querySelectorAll("button").forEach(function (button) {
      if (/^(点击以预览|检查预览|Check for Preview|Deploy Preview)$/.test(button.textContent.trim())) {
        button.setAttribute("data-disclosure", "unused");
      }
    });
    // The editor's toolbar opens with a link back to its collection (route #/collections/…)
    // followed by the section holding the publish menu (a button with a popup).
    root.querySelectorAll("a[href^='#/collections/']:not([data-disclosure])").forEach(function (link) {
      var next = link.nextElementSibling;
      if (next && next.querySelector("[aria-haspopup=true]")) link.setAttribute("data-disclosure", "back");
    });
    // Containers that keep the 800px desktop layout (Decap's editor and its toolbar): found
    // by their computed min-width, going up from the back link and from the form's first
    // field; a phone's stylesheet lets them shrink.
    var starts = [root.querySelector("[data-disclosure=back]"), root.querySelector("#nc-root form, #nc-root input, #nc-root textarea")];
    starts.forEach(function (start) {
      for (var at = start; at && at !== document.body; at = at.parentElement) {
        if (!at.hasAttribute("data-disclosure-wide") && parseFloat(getComputedStyle(at).minWidth) >= 800) {
          at.setAttribute("data-disclosure-wide", "");
        }
      }
    });
  }

  new MutationObserver(function () {
    markDecap(document);
    nameUnnamed(document);
    sayWhatThisIs(document);
  }).observe(document.body, {
    childList: true,
    subtree: true,
  });

  // Decap says “修改已保存” for an entry without unsaved changes, also for a new, empty one
  // that nothing has saved: said as what it means.
  var zh = CMS.getLocale && CMS.getLocale("zh_Hans");
  if (zh && zh.editor && zh.editor.editorToolbar) {
    zh.editor.editorToolbar.changesSaved = "没有未保存的修改";
  }

  // A phone shows the form or the preview, not both (editor.css): start with the form.
  // Decap keeps the editor's own choice of the pane (the eye button) under this key.
  try {
    if (window.matchMedia("(max-width: 799px)").matches && localStorage.getItem("cms.right-pane") === null) {
      localStorage.setItem("cms.right-pane", "none");
    }
  } catch (e) {
    // storage refused (private mode): Decap shows the preview first; the eye button hides it
  }

  CMS.init();
})();
