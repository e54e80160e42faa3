// Round trip for the tests: read each file into the editor's model and write it back, as the
// editor does on a save without change. Usage: node roundtrip.js SPEC.json FILE... → JSON lines.
"use strict";
const fs = require("fs");
const path = require("path");
const format = require(path.join(__dirname, "format.js"));
const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
for (const file of process.argv.slice(3)) {
  const text = fs.readFileSync(file, "utf8");
  let written = null;
  let error = null;
  try {
    written = format.toFile(format.fromFile(text), spec);
  } catch (e) {
    error = String(e && e.message ? e.message : e);
  }
  process.stdout.write(JSON.stringify({ file, written, error }) + "\n");
}
