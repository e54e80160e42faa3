/*
 * The project file format for the browser editor: read a project YAML file into the editor's
 * model, and write the model back as editors write the file by hand (the layout of
 * plugins/disclosures/importer/yamlout.py):
 *
 * - keys in the order plugins/disclosures/fields.py declares them (the spec, generated from
 *   fields.py into fields.js), unknown keys after them, never dropped;
 * - every scalar read as text (js-yaml's failsafe schema, like load.py), written plain when
 *   YAML 1.1 and 1.2 would read it back as the same text, else double-quoted; years, dates,
 *   periods and targets always quoted; money as plain integer yuan (250万 / 6.30万元 converted
 *   exactly, the text as written kept in a comment above the key); narrative as a block literal;
 * - comment lines and blank lines kept above the key (or list row) they stood above, the
 *   header comments (the yaml-language-server schema line) kept, or restored for a new file;
 *   a comment after a value on the same line (`total: 2500000  # 含上年结转`) kept after that
 *   key's value, spacing included.
 *
 * Used by the editor (admin/src/editor.js registers it with Decap's registerCustomFormat) and
 * by the round-trip test (node, tests/test_cms.py), so both run exactly this code.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("js-yaml"));
  } else {
    root.DisclosureFormat = factory(root.jsyaml);
  }
})(typeof self !== "undefined" ? self : this, function (jsyaml) {
  "use strict";

  var COMMENTS = "_comments"; // where the comments travel inside the editor's model
  var HEAD = "$head";
  var END = "$end";

  // YAML 1.1 implicit types (PyYAML's resolver, as yamlout.py checks with yaml.safe_load) and
  // the YAML 1.2 core ones: a plain scalar matching any of them would be re-typed.
  var RETYPED = [
    /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
    /^(?:~|null|Null|NULL|)$/,
    /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
    /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
    /^(?:<<|=|!|&|\*)$/,
    /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/, // YAML 1.2 float
    /^(?:0o[0-7]+|0x[0-9a-fA-F]+)$/, // YAML 1.2 int
  ];
  var UNSAFE_START = "-?:,[]{}#&*!|>'\"%@` ";
  var NOT_PRINTABLE = /[\p{C}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;
  var MONEY = /^\s*((?:\d{1,3}(?:,\d{3})+)|\d+)(?:\.(\d+))?\s*(万元|万|元)?\s*$/;

  function plainOk(text) {
    if (!text || text !== text.trim() || text.indexOf("\n") >= 0) return false;
    if (UNSAFE_START.indexOf(text[0]) >= 0) return false;
    if (text.indexOf(": ") >= 0 || text.indexOf(" #") >= 0 || /:$/.test(text)) return false;
    if (text.indexOf("\t") >= 0 || NOT_PRINTABLE.test(text)) return false;
    for (var i = 0; i < RETYPED.length; i++) if (RETYPED[i].test(text)) return false;
    return true;
  }

  function scalar(text, quoted) {
    return !quoted && plainOk(text) ? text : JSON.stringify(text);
  }

  function literalOk(text) {
    if (!text || /^\s/.test(text)) return false;
    var lines = text.replace(/\n$/, "").split("\n");
    for (var i = 0; i < lines.length; i++) {
      if (lines[i] !== lines[i].replace(/\s+$/, "") || NOT_PRINTABLE.test(lines[i])) return false;
    }
    return !/\n\n$/.test(text);
  }

  // 250万 → 2500000, "1,000" → 1000, 6.30万元 → 63000; null when not exact whole yuan.
  function moneyToYuan(text) {
    var m = MONEY.exec(text);
    if (!m) return null;
    var whole = m[1].replace(/,/g, "");
    var frac = m[2] || "";
    if (m[3] === "万元" || m[3] === "万") {
      frac = (frac + "0000").slice(0, Math.max(4, frac.length));
      whole = whole + frac.slice(0, 4);
      frac = frac.slice(4);
    }
    if (/[1-9]/.test(frac)) return null;
    return whole.replace(/^0+(?=\d)/, "");
  }

  // -- reading ------------------------------------------------------------------------------
  var KEY_LINE = /^( *)(- +)?([^\s#'"\-?:,[\]{}&*!|>%@`][^:#]*?|"[^"]*"|'[^']*'):(?: +|$)(.*)$/;

  // Comment and blank lines, by the dotted path of the key (or list row) they stand above.
  // The comment after a key's value on its line, with the spaces before it: `  # …`, or "".
  // `rest` is the line after `key: `; a # inside quotes or without a space before it is text.
  function trailing(line, rest) {
    var at = -1;
    if (rest[0] === '"' || rest[0] === "'") {
      var quote = rest[0];
      for (var i = 1; i < rest.length; i++) {
        if (quote === '"' && rest[i] === "\\") { i++; continue; }
        if (rest[i] === quote) {
          if (quote === "'" && rest[i + 1] === "'") { i++; continue; }
          var after = /^\s+#/.exec(rest.slice(i + 1));
          if (after) at = i + 1 + after[0].length - 1;
          break;
        }
      }
    } else if (rest[0] === "#") {
      at = 0;
    } else {
      var plain = /\s#/.exec(rest);
      if (plain) at = plain.index + 1;
    }
    if (at < 0) return "";
    var start = line.length - rest.length + at;
    while (start > 0 && (line[start - 1] === " " || line[start - 1] === "\t")) start--;
    return line.slice(start).replace(/\s+$/, "");
  }

  function comments(text) {
    var found = {};
    var inline = {}; // path → the comment after its value on the same line
    var order = {}; // the keys of each mapping in the order the file has them
    var pending = [];
    var stack = []; // {indent, path, item}
    var counts = {};
    var blockIndent = -1; // inside a block scalar started by a key at this indent
    var seenKey = false;
    var lines = text.replace(/\n$/, "").split("\n");
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      var indent = line.length - line.replace(/^ +/, "").length;
      if (blockIndent >= 0) {
        if (line.trim() === "" || indent > blockIndent) continue;
        blockIndent = -1;
      }
      if (line.trim() === "") {
        pending.push("");
        continue;
      }
      if (/^\s*#/.test(line)) {
        pending.push(line.replace(/\s+$/, ""));
        continue;
      }
      var m = KEY_LINE.exec(line);
      if (!m) continue; // a continuation of a flow or quoted scalar
      var key = m[3].replace(/^["']|["']$/g, "");
      var path;
      if (m[2]) {
        while (stack.length && (stack[stack.length - 1].indent > indent ||
               (stack[stack.length - 1].indent === indent && stack[stack.length - 1].item))) {
          stack.pop();
        }
        var owner = stack.length ? stack[stack.length - 1].path : "";
        counts[owner] = (counts[owner] || 0);
        var item = owner + "." + counts[owner]++;
        take(item);
        stack.push({ indent: indent, path: item, item: true });
        indent += m[2].length;
        path = item + "." + key;
        keyOrder(item, key);
      } else {
        while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
        var parent = stack.length ? stack[stack.length - 1].path : "";
        path = parent ? parent + "." + key : key;
        take(path);
        keyOrder(parent, key);
      }
      stack.push({ indent: indent, path: path, item: false });
      seenKey = true;
      var after = trailing(line, m[4]);
      if (after) inline[path] = after;
      if (/^[|>][-+0-9]*\s*(#.*)?$/.test(m[4])) blockIndent = indent;
    }
    if (pending.length) found[END] = pending;
    return { comments: found, order: order, inline: inline };

    function keyOrder(parent, key) {
      (order[parent] = order[parent] || []).push(key);
    }

    function take(at) {
      if (!pending.length) return;
      found[seenKey ? at : HEAD] = pending;
      pending = [];
    }
  }

  function fromFile(text) {
    var data = jsyaml.load(text, { schema: jsyaml.FAILSAFE_SCHEMA }) || {};
    if (typeof data !== "object" || Array.isArray(data)) {
      throw new Error("项目文件的最外层应是一组字段 / a project file is a mapping");
    }
    data[COMMENTS] = JSON.stringify(comments(text));
    return data;
  }

  // -- writing ------------------------------------------------------------------------------
  function isEmpty(value) {
    if (value === undefined || value === "") return true;
    if (Array.isArray(value)) return value.length === 0;
    if (value && typeof value === "object") {
      return Object.keys(value).every(function (k) { return isEmpty(value[k]); });
    }
    return false;
  }

  function toFile(data, spec) {
    data = JSON.parse(JSON.stringify(data || {}));
    var kept = data[COMMENTS] ? JSON.parse(data[COMMENTS]) : {};
    var found = kept.comments || {};
    var order = kept.order || {};
    var inline = kept.inline || {};
    delete data[COMMENTS];
    var out = [];
    var head = found[HEAD] || [spec.schema_comment];
    head.forEach(function (c) { out.push(c); });
    mapping(spec.fields, data, "", 0, null);
    (found[END] || []).forEach(function (c) { out.push(c); });
    return out.join("\n") + "\n";

    function emitComments(at, pad) {
      (found[at] || []).forEach(function (c) { out.push(c); }); // as they stood in the file
    }

    // The key's line, with the comment that followed its value in the file.
    function keyLine(at, line) {
      out.push(line + (inline[at] || ""));
    }

    function mapping(specs, value, path, indent, firstPrefix) {
      var pad = " ".repeat(indent);
      var before = out.length;
      var parent = path.replace(/\.$/, "");
      inFileOrder(specs, order[parent] || [], Object.keys(value)).forEach(function (s) {
        if (!Object.prototype.hasOwnProperty.call(value, s.key) || isEmpty(value[s.key])) return;
        if (s.kind) {
          field(s, value[s.key], path + s.key, indent);
        } else {
          unknown(s.key, value[s.key], path + s.key, pad);
        }
      });
      if (firstPrefix !== null) {
        for (var i = before; i < out.length; i++) {
          if (out[i] && !/^\s*#/.test(out[i])) {
            out[i] = " ".repeat(indent - 2) + firstPrefix + out[i].slice(indent);
            break;
          }
        }
      }
    }

    // A key fields.py does not declare (yet): written where it stood, never dropped; the site's
    // validator says what to do with it.
    function unknown(key, value, path, pad) {
      emitComments(path, pad);
      if (value === null) {
        keyLine(path, pad + key + ":");
      } else if (typeof value === "string") {
        keyLine(path, pad + key + ": " + scalar(value, false));
      } else {
        var block = jsyaml.dump(value, { lineWidth: -1, noRefs: true, quotingType: '"' });
        keyLine(path, pad + key + ":");
        block.replace(/\n$/, "").split("\n").forEach(function (line) {
          out.push(pad + "  " + line);
        });
      }
    }

    // Keys the file had stay in the file's order, declared or not; a declared key the file did
    // not have goes after the declared key before it; other new keys go last.
    function inFileOrder(specs, fileKeys, dataKeys) {
      var byKey = {};
      specs.forEach(function (s) { byKey[s.key] = s; });
      var result = fileKeys.map(function (k) { return byKey[k] || { key: k }; });
      var placed = {};
      result.forEach(function (s) { placed[s.key] = true; });
      specs.forEach(function (s, i) {
        if (placed[s.key]) return;
        var at = 0;
        for (var j = i - 1; j >= 0; j--) {
          var k = result.indexOf(specs[j]);
          if (k >= 0) { at = k + 1; break; }
        }
        result.splice(at, 0, s);
        placed[s.key] = true;
      });
      dataKeys.forEach(function (k) {
        if (!placed[k] && k !== COMMENTS) result.push({ key: k });
      });
      return result;
    }

    function field(s, value, path, indent) {
      var pad = " ".repeat(indent);
      var kinds = spec.kinds;
      if (s.kind === kinds.mapping) {
        if (typeof value !== "object" || value === null) return;
        emitComments(path, pad);
        keyLine(path, pad + s.key + ":");
        mapping(s.children, value, path + ".", indent + 2, null);
        return;
      }
      if (s.kind === kinds.list) {
        if (!Array.isArray(value)) return;
        emitComments(path, pad);
        keyLine(path, pad + s.key + ":");
        value.forEach(function (item, i) {
          emitComments(path + "." + i, pad + "  ");
          if (item && typeof item === "object") {
            mapping(s.children, item, path + "." + i + ".", indent + 4, "- ");
          }
        });
        return;
      }
      if (value === null) {
        emitComments(path, pad);
        keyLine(path, pad + s.key + ":");
        return;
      }
      var text = String(value);
      if (s.kind === kinds.money) {
        var yuan = moneyToYuan(text);
        if (yuan !== null && yuan !== text) {
          var note = pad + "# 原写法 as written: " + text.trim();
          var notes = found[path] || [];
          if (notes.indexOf(note) < 0) found[path] = notes.concat([note]);
          text = yuan;
        }
        emitComments(path, pad);
        keyLine(path, pad + s.key + ": " + (/^\d+$/.test(text) ? text : scalar(text, false)));
        return;
      }
      emitComments(path, pad);
      if (s.kind === kinds.markdown && literalOk(text)) {
        keyLine(path, pad + s.key + ": " + (/\n$/.test(text) ? "|" : "|-"));
        text.replace(/\n$/, "").split("\n").forEach(function (line) {
          out.push(line ? pad + "  " + line : "");
        });
        return;
      }
      keyLine(path, pad + s.key + ": " + scalar(text, !!s.quoted));
    }
  }

  return {
    fromFile: fromFile,
    toFile: toFile,
    plainOk: plainOk,
    moneyToYuan: moneyToYuan,
    COMMENTS: COMMENTS,
  };
});
