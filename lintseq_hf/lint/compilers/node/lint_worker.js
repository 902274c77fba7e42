// LintSeq verdicts for JavaScript and TypeScript: one long-lived Node process running the
// TypeScript compiler on program states held in memory (docs/languages.md).
//
// Usage: node lint_worker.js <node_modules folder holding typescript and @types/node> <JS codes> <private codes>
//   <JS codes>: comma-separated semantic error codes that count for JavaScript.
//   <private codes>: codes that count for JavaScript when the name they flag is private (#name).
// Protocol (stdin/stdout): a request is a header line "<language> <byte count>" (language:
// javascript, typescript or tsx) followed by that many bytes of UTF-8 source; the reply is one
// line per error "<line>\t<column>\t<code>\t<message>" (1-based line, 0-based column), then "END".
"use strict";
const path = require("path");

const modules = process.argv[2];
const jsCounted = new Set((process.argv[3] || "").split(",").filter(Boolean).map(Number));
const jsPrivateCounted = new Set((process.argv[4] || "").split(",").filter(Boolean).map(Number));
const ts = require(path.join(modules, "typescript"));

const FILES = { javascript: "/lintseq/state.js", typescript: "/lintseq/state.ts", tsx: "/lintseq/state.tsx" };

const COMMON = {
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  moduleDetection: ts.ModuleDetectionKind.Force,
  jsx: ts.JsxEmit.Preserve,
  skipLibCheck: true,
  types: ["node"],
  typeRoots: [path.join(modules, "@types")],
};
const OPTIONS = {
  javascript: { ...COMMON, allowJs: true, checkJs: true },
  typescript: COMMON,
  tsx: COMMON,
};

// JavaScript counts parse and grammar errors (TS1xxx), JavaScript-only checks (TS8xxx), JSX
// errors (TS17xxx), the listed semantic codes (undefined and redeclared names) and the listed
// private-name codes on a #name (one no enclosing class declares: a syntax error to JavaScript).
function countsForJavaScript(d) {
  const code = d.code;
  if ((code >= 1000 && code < 2000) || (code >= 8000 && code < 9000) || (code >= 17000 && code < 18000) || jsCounted.has(code)) {
    return true;
  }
  return jsPrivateCounted.has(code) && d.file !== undefined && d.start !== undefined && d.file.text.startsWith("#", d.start);
}

const libraryFiles = new Map(); // lib and @types source files, parsed once and shared by every request
const baseHost = ts.createCompilerHost(COMMON, true);
const previous = {};

function lint(language, text) {
  const fileName = FILES[language];
  if (fileName === undefined) throw new Error(`unknown language ${language}`);
  const state = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const host = {
    ...baseHost,
    fileExists: (name) => name === fileName || baseHost.fileExists(name),
    readFile: (name) => (name === fileName ? text : baseHost.readFile(name)),
    getSourceFile: (name, target) => {
      if (name === fileName) return state;
      let file = libraryFiles.get(name);
      if (file === undefined) {
        file = baseHost.getSourceFile(name, target);
        if (file !== undefined) libraryFiles.set(name, file);
      }
      return file;
    },
    writeFile: () => {},
  };
  const program = ts.createProgram({ rootNames: [fileName], options: OPTIONS[language], host, oldProgram: previous[language] });
  previous[language] = program;
  const sourceFile = program.getSourceFile(fileName);
  let diagnostics = program.getSyntacticDiagnostics(sourceFile).concat(program.getSemanticDiagnostics(sourceFile));
  if (language === "javascript") diagnostics = diagnostics.filter(countsForJavaScript);
  const lines = [];
  for (const d of diagnostics) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    let line = 0;
    let column = 0;
    if (d.file !== undefined && d.start !== undefined) {
      const position = d.file.getLineAndCharacterOfPosition(d.start);
      line = position.line + 1;
      column = position.character;
    }
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ").replace(/[\t\r\n]/g, " ");
    lines.push(`${line}\t${column}\tTS${d.code}\t${message}\n`);
  }
  return lines.join("");
}

let buffer = Buffer.alloc(0);
process.stdin.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const newline = buffer.indexOf(10);
    if (newline < 0) return;
    const header = buffer.subarray(0, newline).toString("utf8");
    const space = header.lastIndexOf(" ");
    const size = Number(header.slice(space + 1));
    if (buffer.length < newline + 1 + size) return;
    const text = buffer.subarray(newline + 1, newline + 1 + size).toString("utf8");
    buffer = buffer.subarray(newline + 1 + size);
    let reply;
    try {
      reply = lint(header.slice(0, space), text);
    } catch (error) {
      reply = `0\t0\tworker-crash\t${String(error).replace(/[\t\r\n]/g, " ")}\n`;
    }
    process.stdout.write(reply + "END\n");
  }
});
process.stdin.on("end", () => process.exit(0));
