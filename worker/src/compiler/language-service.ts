import type { FileSystem } from "@cloudflare/worker-bundler";
import { createTypescriptLanguageService } from "@cloudflare/worker-bundler/typescript";
import type { LanguageService } from "typescript";
import appTsconfig from "./app-tsconfig.json";
import { OverlayFileSystem } from "./file-system";
import { importableSpecifiers, seedDeclarations } from "./seed";
import { TEXT_MODULE_EXTENSIONS } from "./source-files";
import { RESERVED_DIRECTORY } from "../core/api-shapes/source-rules";
import { installTypescriptLibFetch } from "./typescript-libs";

/** Files TypeScript checks (the rest, e.g. JSON, is read only when imported). */
export const CHECKED_FILE = /\.[cm]?[jt]sx?$/;

interface Checker {
  languageService: LanguageService;
  /** Writes through this wrapper become language-service root files. */
  roots: FileSystem;
  /** Writes here are plain files, read when referenced or imported. */
  layer: OverlayFileSystem;
}

/** An app's files as the language service sees them while a `withMountedApp` callback runs. */
export interface MountedApp {
  languageService: LanguageService;
  /** The language service's name for one of the app's files (they live under a folder of their own). */
  fileName(path: string): string;
  /** The root file that references every checked file and checks the entry's default export. */
  checkFile: string;
  /** The app's checked (TypeScript/JavaScript) files, as the app names them. */
  checked: readonly string[];
}

// One language service per isolate, shared by builds and the Code tab's editor: each caller mounts its files under a
// fresh folder, so parsed lib/Workers/hono/zod declarations are reused across calls. A permanent root imports every
// library so its declarations stay in each new program: between calls nothing else references them, and TypeScript
// would drop and re-parse them (~150 ms a build).
let checker: Promise<Checker> | undefined;
let mountCount = 0;

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
 * Runs `use` with the app's files mounted in the shared language service, then unmounts them. `use` must be
 * synchronous: nothing else runs in the isolate between mounting and unmounting, so concurrent builds and editor
 * requests never see (or delete) each other's files.
 */
export async function withMountedApp<T>(
  files: ReadonlyMap<string, string>,
  entry: string,
  use: (app: MountedApp) => T,
): Promise<T> {
  const { languageService, roots, layer } = await getChecker();
  const folder = `app-${++mountCount}/`;
  const checked = [...files.keys()].filter((path) => CHECKED_FILE.test(path));
  const checkFile = `${folder}${RESERVED_DIRECTORY}/check.ts`;
  try {
    // Only the check file is a language-service root: every root write or delete rebuilds
    // the program, so the app's files join it through the check file's references instead.
    for (const [path, text] of files) layer.write(folder + path, text);
    roots.write(checkFile, handlerCheck(entry, checked));
    return use({ languageService, fileName: (path) => folder + path, checkFile, checked });
  } finally {
    roots.delete(checkFile);
    for (const path of files.keys()) layer.delete(folder + path);
  }
}

/**
 * The mounted app's only root file: references every app file (so each is checked
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
