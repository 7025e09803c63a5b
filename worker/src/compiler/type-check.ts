import type { FileSystem } from "@cloudflare/worker-bundler";
import { createTypescriptLanguageService } from "@cloudflare/worker-bundler/typescript";
import type { Diagnostic as TsDiagnostic, LanguageService } from "typescript";
import type { Diagnostic } from "../core/errors";
import appTsconfig from "./app-tsconfig.json";
import { OverlayFileSystem } from "./file-system";
import { importableSpecifiers, seedDeclarations } from "./seed";
import { TEXT_MODULE_EXTENSIONS } from "./source-files";
import { RESERVED_DIRECTORY } from "../core/api-shapes/source-rules";
import { toDiagnostic } from "./typescript-diagnostics";
import { installTypescriptLibFetch } from "./typescript-libs";

/** Files TypeScript checks (the rest, e.g. JSON, is read only when imported). */
const CHECKED_FILE = /\.[cm]?[jt]sx?$/;
/** `ts.DiagnosticCategory.Error`; typescript is only imported as types here (its runtime copy lives in the bundler). */
const ERROR_CATEGORY = 1;
/** A build reports at most this many problems; the first ones are the ones to fix. */
const MAX_DIAGNOSTICS = 50;

/** The message for a default export that Kiln cannot serve. */
export function missingHandlerMessage(entry: string): string {
  return `${entry} must \`export default\` an object with a fetch(request, env, ctx) method that returns a Response, or a Hono app.`;
}

interface Checker {
  languageService: LanguageService;
  /** Writes through this wrapper become language-service root files. */
  roots: FileSystem;
  /** Writes here are plain files, read when referenced or imported. */
  layer: OverlayFileSystem;
}

// One language service per isolate: each build mounts its files under a fresh
// folder, so parsed lib/Workers/hono/zod declarations are reused across builds.
// A permanent root imports every library so its declarations stay in each new
// program: between builds nothing else references them, and TypeScript would
// drop and re-parse them (~150 ms a build).
let checker: Promise<Checker> | undefined;
let buildCount = 0;

function getChecker(): Promise<Checker> {
  checker ??= (async () => {
    installTypescriptLibFetch();
    const base = new Map(seedDeclarations);
    base.set("tsconfig.json", JSON.stringify(appTsconfig));
    const layer = new OverlayFileSystem(base);
    const { fileSystem, languageService } = await createTypescriptLanguageService({ fileSystem: layer });
    const libraries = [...importableSpecifiers].map(
      (specifier, i) => `import type * as m${i} from ${JSON.stringify(specifier)};`,
    );
    fileSystem.write(`${RESERVED_DIRECTORY}/libraries.ts`, `${libraries.join("\n")}\nexport {};\n`);
    // What the bundler's text loader gives for `import page from "./page.html"`.
    const textModules = TEXT_MODULE_EXTENSIONS.map(
      (ext) => `declare module "*${ext}" { const text: string; export default text; }`,
    );
    fileSystem.write(`${RESERVED_DIRECTORY}/text-modules.d.ts`, `${textModules.join("\n")}\n`);
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
  const checked = [...files.keys()].filter((path) => CHECKED_FILE.test(path));
  const checkFile = `${folder}${RESERVED_DIRECTORY}/check.ts`;
  try {
    // Only the check file is a language-service root: every root write or delete rebuilds
    // the program, so the app's files join it through the check file's references instead.
    for (const [path, text] of files) layer.write(folder + path, text);
    roots.write(checkFile, handlerCheck(entry, checked));
    const diagnostics: Diagnostic[] = [];
    for (const path of checked)
      diagnostics.push(...errorsIn(languageService, folder + path).map((d) => toDiagnostic(d, path)));
    // A broken entry file already explains a broken default export.
    if (errorsIn(languageService, checkFile).length > 0 && !diagnostics.some((d) => d.file === entry)) {
      diagnostics.push({
        file: entry,
        ...defaultExportPosition(files.get(entry) ?? ""),
        message: missingHandlerMessage(entry),
      });
    }
    return diagnostics.slice(0, MAX_DIAGNOSTICS);
  } finally {
    roots.delete(checkFile);
    for (const path of files.keys()) layer.delete(folder + path);
  }
}

function errorsIn(languageService: LanguageService, path: string): TsDiagnostic[] {
  return [...languageService.getSyntacticDiagnostics(path), ...languageService.getSemanticDiagnostics(path)].filter(
    (d) => d.category === ERROR_CATEGORY,
  );
}

/**
 * The build's only root file: references every app file (so each is checked
 * even if nothing imports it), then only type-checks if the entry's default
 * export is something Kiln can call `fetch` on.
 */
function handlerCheck(entry: string, checked: readonly string[]): string {
  // The exact file (allowImportingTsExtensions is on), so no other index.* can shadow it.
  const specifier = `../${entry}`;
  return [
    ...checked.map((path) => `/// <reference path=${JSON.stringify(`../${path}`)} />`),
    `import * as app from ${JSON.stringify(specifier)};`,
    "type KilnHandler = { fetch(request: Request, env: never, ctx: ExecutionContext): Response | Promise<Response> };",
    "export const handler: KilnHandler = app.default;",
    "",
  ].join("\n");
}

/** Where `export default` is written in the entry, or 1:1 when it has none. */
function defaultExportPosition(text: string): { line: number; column: number } {
  const match = /^([ \t]*)export\s+default\b/m.exec(text);
  if (match === null) return { line: 1, column: 1 };
  const before = text.slice(0, match.index);
  return { line: before.split("\n").length, column: (match[1]?.length ?? 0) + 1 };
}
