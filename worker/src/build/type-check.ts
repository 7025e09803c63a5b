import type { FileSystem } from "@cloudflare/worker-bundler";
import { createTypescriptLanguageService } from "@cloudflare/worker-bundler/typescript";
import type { Diagnostic as TsDiagnostic, DiagnosticMessageChain, LanguageService } from "typescript";
import type { Diagnostic } from "../errors";
import appTsconfig from "./app-tsconfig.json";
import { OverlayFileSystem } from "./file-system";
import { refuseImport } from "./import-policy";
import { seedDeclarations } from "./seed";
import { RESERVED_DIRECTORY } from "./source-files";
import { installTypescriptLibFetch } from "./typescript-libs";

/** Files TypeScript checks as program roots (the rest, e.g. JSON, is read when imported). */
const ROOT_FILE = /\.(?:d\.)?[cm]?[jt]sx?$/;
/** `ts.DiagnosticCategory.Error`; only `import type` of typescript is allowed here (the runtime copy lives in the bundler). */
const ERROR_CATEGORY = 1;
/** TypeScript's "Cannot find module 'x'" codes, rewritten into Kiln's import rules. */
const MODULE_NOT_FOUND_CODES = new Set([2307, 2792]);
/** "Cannot find name 'x'. Do you need to install type definitions for node?" (x: `process`, or `node:fs` in an import). */
const NODE_NAME_CODES = new Set([2580, 2591]);
/** A build reports at most this many problems; the first ones are the ones to fix. */
const MAX_DIAGNOSTICS = 50;

/** The message for a default export that Kiln cannot serve. */
export function missingHandlerMessage(entry: string): string {
  return `${entry} must \`export default\` an object with a fetch(request, env, ctx) method that returns a Response, or a Hono app.`;
}

interface Checker {
  languageService: LanguageService;
  /** Writes through this wrapper reach the language service's root files. */
  roots: FileSystem;
  /** Writes here are plain files, read only when imported. */
  layer: OverlayFileSystem;
}

// One language service per isolate: each build mounts its files under a fresh
// folder, so parsed lib/Workers/hono/zod declarations are reused across builds.
let checker: Promise<Checker> | undefined;
let buildCount = 0;

function getChecker(): Promise<Checker> {
  checker ??= (async () => {
    installTypescriptLibFetch();
    const base = new Map(seedDeclarations);
    base.set("tsconfig.json", JSON.stringify(appTsconfig));
    const layer = new OverlayFileSystem(base, { listBase: false });
    const { fileSystem, languageService } = await createTypescriptLanguageService({ fileSystem: layer });
    return { languageService, roots: fileSystem, layer };
  })();
  checker.catch(() => {
    checker = undefined;
  });
  return checker;
}

/**
 * Type-checks an app (strict, es2023 + Workers types + seeded hono/zod/kiln)
 * and checks that its entry's default export can serve requests. Returns
 * problems in the user's files only, 1-based.
 */
export async function typeCheck(files: ReadonlyMap<string, string>, entry: string): Promise<Diagnostic[]> {
  const { languageService, roots, layer } = await getChecker();
  // Everything below is synchronous, so concurrent builds never see each other's files.
  const folder = `build-${++buildCount}/`;
  const written: string[] = [];
  const checkFile = `${RESERVED_DIRECTORY}/check.ts`;
  const sources = new Map(files);
  sources.set(checkFile, handlerCheck(entry));
  try {
    for (const [path, text] of sources) {
      (ROOT_FILE.test(path) ? roots : layer).write(folder + path, text);
      written.push(folder + path);
    }
    const diagnostics: Diagnostic[] = [];
    let handlerProblem = false;
    for (const path of sources.keys()) {
      if (!ROOT_FILE.test(path)) continue;
      const found = [
        ...languageService.getSyntacticDiagnostics(folder + path),
        ...languageService.getSemanticDiagnostics(folder + path),
      ].filter((d) => d.category === ERROR_CATEGORY);
      if (path === checkFile) handlerProblem = found.length > 0;
      else diagnostics.push(...found.map((d) => toDiagnostic(d, path)));
    }
    // A broken entry file already explains a broken default export.
    if (handlerProblem && !diagnostics.some((d) => d.file === entry)) {
      diagnostics.push({ file: entry, ...defaultExportPosition(files.get(entry) ?? ""), message: missingHandlerMessage(entry) });
    }
    return diagnostics.slice(0, MAX_DIAGNOSTICS);
  } finally {
    for (const path of written) (ROOT_FILE.test(path) ? roots : layer).delete(path);
  }
}

/** A file that only type-checks if the entry's default export is something Kiln can call `fetch` on. */
function handlerCheck(entry: string): string {
  const specifier = `../${entry.replace(/\.[jt]sx?$/, "")}`;
  return [
    `import * as app from ${JSON.stringify(specifier)};`,
    "type KilnHandler = { fetch(request: Request, env: never, ctx: ExecutionContext): Response | Promise<Response> };",
    "export const handler: KilnHandler = app.default;",
    "",
  ].join("\n");
}

function toDiagnostic(diagnostic: TsDiagnostic, path: string): Diagnostic {
  const file = diagnostic.file;
  const start = diagnostic.start ?? 0;
  const { line, character } = file?.getLineAndCharacterOfPosition(start) ?? { line: 0, character: 0 };
  let message = flatten(diagnostic.messageText);
  if (file !== undefined && (MODULE_NOT_FOUND_CODES.has(diagnostic.code) || NODE_NAME_CODES.has(diagnostic.code))) {
    message = explainMissingModule(file.text.slice(start, start + (diagnostic.length ?? 0)), diagnostic.code) ?? message;
  }
  return { file: path, line: line + 1, column: character + 1, message };
}

/**
 * Kiln's words for "Cannot find module/name": `span` is the quoted import
 * specifier, or a bare name like `process` that only Node.js defines.
 */
function explainMissingModule(span: string, code: number): string | null {
  const quoted = /^(['"`])(.*)\1$/s.exec(span);
  if (quoted === null) return NODE_NAME_CODES.has(code) ? `Cannot find name '${span}': Kiln apps run on Web APIs, not Node.js.` : null;
  const specifier = quoted[2] ?? "";
  if (specifier.startsWith(".") || specifier.startsWith("/")) return `'${specifier}' does not match any of the app's files.`;
  return refuseImport(specifier);
}

/** TypeScript's message chain as indented lines, like `ts.flattenDiagnosticMessageText`. */
function flatten(text: string | DiagnosticMessageChain, indent = 0): string {
  if (typeof text === "string") return text;
  const head = `${"  ".repeat(indent)}${text.messageText}`;
  return [head, ...(text.next ?? []).map((next) => flatten(next, indent + 1))].join("\n");
}

/** Where `export default` is written in the entry, or 1:1 when it has none. */
function defaultExportPosition(text: string): { line: number; column: number } {
  const match = /^([ \t]*)export\s+default\b/m.exec(text);
  if (match === null) return { line: 1, column: 1 };
  const before = text.slice(0, match.index);
  return { line: before.split("\n").length, column: (match[1]?.length ?? 0) + 1 };
}
