// The project's import graph, read with TypeScript's own parser: every `import`, `export … from`, `import type`,
// `import("…")` (calls and type queries) and `require`, between the project's own files. Type-only imports count:
// a type cycle is still a cycle a reader has to untangle. Used by scripts/check-imports.mjs.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

const SOURCE = /\.(ts|mts|mjs|js|svelte)$/;

/** Every source file git tracks under the given folders (relative to root): generated files are not tracked. */
export function sourceFiles(root, folders) {
  const listed = execFileSync("git", ["ls-files", "--", ...folders], { cwd: root, encoding: "utf8" });
  return listed
    .split("\n")
    .filter((file) => SOURCE.test(file) && existsSync(path.join(root, file)))
    .sort();
}

/** The module specifiers a file names, with whether each is type-only. */
export function specifiersOf(file, text) {
  const code = file.endsWith(".svelte") ? svelteScripts(text) : text;
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (ts.isImportTypeNode(node)) {
      const literal = node.argument.literal;
      if (literal && ts.isStringLiteral(literal)) found.push(literal.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require"))
        found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function svelteScripts(text) {
  return [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]).join("\n");
}

/** SvelteKit's own alias; the web's others come from web/svelte.config.js (`webAliases`). */
const DEFAULT_ALIASES = { $lib: "web/src/lib" };

/** SvelteKit's aliases as web/svelte.config.js declares them (plus `$lib`), as repo-relative folders. */
export async function webAliases(root) {
  const config = await import(pathToFileURL(path.join(root, "web/svelte.config.js")).href);
  const declared = Object.entries(config.default.kit?.alias ?? {}).map(([alias, target]) => [
    alias,
    path.relative(root, path.resolve(root, "web", target)),
  ]);
  return { ...DEFAULT_ALIASES, ...Object.fromEntries(declared) };
}

/** The project file a specifier names, or null for a package or a file outside the graph. */
export function resolveSpecifier(from, specifier, known, aliases = DEFAULT_ALIASES) {
  let base = null;
  if (specifier.startsWith(".")) base = path.join(path.dirname(from), specifier);
  for (const [alias, target] of Object.entries(aliases))
    if (specifier === alias || specifier.startsWith(`${alias}/`)) base = target + specifier.slice(alias.length);
  if (base === null) return null;
  base = path.normalize(base);
  const stem = base.replace(/\.(js|mjs)$/, "");
  const candidates = [
    base,
    `${stem}.ts`,
    `${stem}.mts`,
    `${base}.ts`,
    `${base}.d.ts`,
    `${base}.mjs`,
    `${base}/index.ts`,
  ];
  for (const candidate of candidates) if (known.has(candidate)) return candidate;
  return null;
}

/**
 * Global declaration files (`worker-configuration.d.ts`: no import or export at the top) declare names such as
 * `KilnBindings` that other files use without importing them: such a use is an edge too, to that file.
 */
function globalDeclarations(root, files) {
  const globals = new Map();
  for (const file of files) {
    if (!file.endsWith(".d.ts")) continue;
    const text = readFileSync(path.join(root, file), "utf8");
    if (/^(import|export)\s/m.test(text)) continue;
    for (const match of text.matchAll(/^(?:interface|type|declare\s+(?:const|function|class))\s+([A-Za-z_]\w*)/gm))
      if (!match[1].startsWith("__")) globals.set(match[1], file);
  }
  return globals;
}

/**
 * The graph: each file to the project files it imports (a Set), for the given folders. `aliases` maps a bundler
 * alias to a repo-relative folder; `packages`, when given, is filled with each file's imports of packages.
 */
export function importGraph(root, folders, { aliases = DEFAULT_ALIASES, packages } = {}) {
  const files = sourceFiles(root, folders);
  const known = new Set(files);
  const globals = globalDeclarations(root, files);
  const graph = new Map();
  for (const file of files) {
    const text = readFileSync(path.join(root, file), "utf8");
    const targets = new Set();
    const outside = new Set();
    for (const specifier of specifiersOf(file, text)) {
      const target = resolveSpecifier(file, specifier, known, aliases);
      if (target && target !== file) targets.add(target);
      else if (!target && !specifier.startsWith(".")) outside.add(specifier);
    }
    packages?.set(file, outside);
    const code = withoutComments(text);
    for (const [name, declaredIn] of globals)
      if (declaredIn !== file && new RegExp(`\\b${name}\\b`).test(code)) targets.add(declaredIn);
    graph.set(file, targets);
  }
  return graph;
}

/** The text without its comments, so a name mentioned only in a comment is no use of it. */
function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** Strongly connected components with more than one file (Tarjan): each is an import cycle. */
export function cycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const connect = (file) => {
    index.set(file, counter);
    low.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file), low.get(next)));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file), index.get(next)));
    }
    if (low.get(file) === index.get(file)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return found;
}
