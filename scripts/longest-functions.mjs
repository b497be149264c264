#!/usr/bin/env node
// Lists every function, arrow function, method, accessor and constructor in packages/*/src and apps/*/src,
// longest first, so a long function is found by measurement rather than by eye (issue #11).
//
//   node scripts/longest-functions.mjs        the 20 longest
//   node scripts/longest-functions.mjs 50     the 50 longest
//   node scripts/longest-functions.mjs all    every function
//
// A function's length is its line span from its first token to its last (a leading comment does not count,
// nested functions count towards their parent as well as on their own). Tests, test-d files, test support
// (testing/ folders, test-support.ts) and migrations are left out: they are not the code the issue is about.
// It uses the TypeScript compiler API from the repository's own `typescript` package: parsing only, no
// type checking, so it runs in about a second.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const excluded = [
  /\.test\.tsx?$/,
  /\.test-d\.tsx?$/,
  /\.d\.ts$/,
  /(^|\/)testing\//,
  /(^|\/)test-support\.tsx?$/,
  /(^|\/)migrations\//,
];

function sourceFiles() {
  const files = [];
  for (const group of ['packages', 'apps']) {
    for (const project of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!project.isDirectory()) continue;
      const src = join(root, group, project.name, 'src');
      let entries;
      try {
        entries = readdirSync(src, { recursive: true, encoding: 'utf8' });
      } catch {
        continue; // a project without src/
      }
      for (const entry of entries) {
        const path = relative(root, join(src, entry)).split('\\').join('/');
        if (!/\.tsx?$/.test(path) || excluded.some((pattern) => pattern.test(path))) continue;
        files.push(path);
      }
    }
  }
  return files.sort();
}

function isFunctionLike(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isConstructorDeclaration(node)
  );
}

function nameText(name, sourceFile) {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return name.getText(sourceFile);
}

/** The callee of a call, shortened to its last property: `app.get(...)` gives `get`. */
function calleeText(call, sourceFile) {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isIdentifier(callee)) return callee.text;
  return callee.getText(sourceFile).slice(0, 30);
}

/** The name a reader would look for: the declaration's own name, or what the function is assigned to. */
function ownName(node, sourceFile) {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return nameText(node.name, sourceFile);
  let parent = node.parent;
  while (
    parent &&
    (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent))
  ) {
    parent = parent.parent;
  }
  if (!parent) return '<anonymous>';
  if (
    ts.isVariableDeclaration(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isPropertyDeclaration(parent)
  ) {
    return nameText(parent.name, sourceFile);
  }
  if (ts.isExportAssignment(parent)) return 'default';
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    return `${parent.expression ? calleeText(parent, sourceFile) : 'call'}(…) callback`;
  }
  if (ts.isJsxExpression(parent)) {
    const attribute = parent.parent;
    if (attribute && ts.isJsxAttribute(attribute)) return `${nameText(attribute.name, sourceFile)}={…}`;
  }
  return '<anonymous>';
}

function lineOf(sourceFile, position) {
  return sourceFile.getLineAndCharacterOfPosition(position).line + 1;
}

function measure(path) {
  const text = readFileSync(join(root, path), 'utf8');
  const kind = path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const found = [];
  const visit = (node, outer) => {
    let scope = outer;
    if (isFunctionLike(node) && node.body) {
      const name = ownName(node, sourceFile);
      const qualified = outer ? `${outer} › ${name}` : name;
      const start = lineOf(sourceFile, node.getStart(sourceFile));
      const end = lineOf(sourceFile, node.getEnd());
      found.push({ path, line: start, name: qualified, lines: end - start + 1 });
      scope = qualified;
    }
    ts.forEachChild(node, (child) => visit(child, scope));
  };
  visit(sourceFile, undefined);
  return found;
}

const argument = process.argv[2] ?? '20';
const limit = argument === 'all' ? Number.POSITIVE_INFINITY : Number.parseInt(argument, 10);
if (!Number.isFinite(limit) && argument !== 'all') {
  console.error('usage: node scripts/longest-functions.mjs [count | all]');
  process.exit(2);
}

const functions = sourceFiles()
  .flatMap(measure)
  .sort((a, b) => b.lines - a.lines || a.path.localeCompare(b.path) || a.line - b.line);
for (const { path, line, name, lines } of functions.slice(0, limit)) {
  console.log(`${String(lines).padStart(4)}  ${name}  ${path}:${line}`);
}
