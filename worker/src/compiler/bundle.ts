import { createWorker, InMemoryFileSystem } from "@cloudflare/worker-bundler";
import type { ConnectorId } from "../../../connectors/types";
import type { Diagnostic } from "../core/errors";
import { APP_MODULE, WRAPPER_MAIN, wrapperModules } from "./entry-wrapper";
import { GUARD_MODULE } from "./guard-runtime";
import { importPolicyPlugin } from "./import-policy";
import { instrumentApp } from "./loop-guards";
import { connectorFor, libraryModulesFor } from "./seed";
import { TEXT_MODULE_EXTENSIONS } from "./source-files";
import type { AppBundle } from "./types";

/** esbuild's message shape, as carried on the error it throws (`error.errors`). */
interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number } | null;
}

/** A bundle ready for the loader with the connectors its code imports, or esbuild's problems as diagnostics. */
export type BundleOutcome =
  | { ok: true; bundle: AppBundle; connectors: ConnectorId[]; warnings: string[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** How to package: the guard's CPU budget per synchronous run, or null for no guards (benchmarks only). */
export interface BundleOptions {
  cpuBudgetMs: number | null;
}

/**
 * Bundles the app's own files into `app.js`, instruments it with the loop
 * guards, and puts Kiln's wrapper (its own modules) in front of it.
 * hono/zod/kiln and the connector clients (kiln/<id>) stay external: they are
 * prebuilt modules from the seed that ship next to it, only those the app
 * imports (re-bundling zod alone costs ~1 s of esbuild-wasm per build), and
 * are not instrumented. The app's connectors are the kiln/<id> modules its
 * code still imports once esbuild has dropped type-only and unused imports:
 * what it imports is what it can call. No package.json reaches the bundler, so
 * it never installs anything; `cloudflare:*` and `node:*` stay external for
 * the runtime to provide.
 */
export async function bundleApp(
  files: ReadonlyMap<string, string>,
  entry: string,
  options: BundleOptions,
): Promise<BundleOutcome> {
  const fileSystem = new InMemoryFileSystem(Object.fromEntries(files));
  const usedLibraries = new Set<string>();
  let result: Awaited<ReturnType<typeof createWorker>>;
  try {
    result = await createWorker({
      files: fileSystem,
      entryPoint: entry,
      externals: ["node:"],
      target: "es2023",
      jsx: "automatic",
      jsxImportSource: "hono/jsx",
      loader: Object.fromEntries(TEXT_MODULE_EXTENSIONS.map((extension) => [extension, "text"])),
      // The plugin escape hatch is the only way to refuse imports with esbuild's own locations; pinned bundler version.
      __dangerouslyUseEsBuildPluginsDoNotUseOrYouWillBeFired: [importPolicyPlugin(fileSystem, usedLibraries)],
    });
  } catch (error) {
    const messages = esbuildMessages(error);
    if (messages === null) throw error;
    return { ok: false, diagnostics: messages.map((m) => toDiagnostic(m, entry)) };
  }
  const bundled = Object.entries(result.modules);
  const code = result.modules[result.mainModule];
  if (bundled.length !== 1 || typeof code !== "string")
    throw new Error(`bundler produced ${bundled.length} modules, expected one text module`);
  const { cpuBudgetMs } = options;
  const modules: Record<string, string> = {
    ...libraryModulesFor(usedLibraries),
    ...wrapperModules(entry, cpuBudgetMs),
    // Library imports were written relative to the root, where app.js sits.
    [APP_MODULE]: cpuBudgetMs === null ? code : instrumentApp(code, `./${GUARD_MODULE}`),
  };
  const connectors = [...usedLibraries].flatMap((specifier) => connectorFor(specifier) ?? []).sort();
  return { ok: true, bundle: { mainModule: WRAPPER_MAIN, modules }, connectors, warnings: result.warnings ?? [] };
}

/** The esbuild messages on a build failure, or null when the error is not one (a Kiln bug: rethrow). */
function esbuildMessages(error: unknown): EsbuildMessage[] | null {
  if (typeof error !== "object" || error === null || !("errors" in error) || !Array.isArray(error.errors)) return null;
  const messages: EsbuildMessage[] = [];
  for (const item of error.errors as unknown[]) {
    if (typeof item !== "object" || item === null || !("text" in item) || typeof item.text !== "string") return null;
    const location = "location" in item ? item.location : null;
    messages.push({ text: item.text, location: isLocation(location) ? location : null });
  }
  return messages.length > 0 ? messages : null;
}

function isLocation(value: unknown): value is { file: string; line: number; column: number } {
  return (
    typeof value === "object" &&
    value !== null &&
    "file" in value &&
    typeof value.file === "string" &&
    "line" in value &&
    typeof value.line === "number" &&
    "column" in value &&
    typeof value.column === "number"
  );
}

/** esbuild lines are 1-based and columns 0-based; files carry the plugin namespace (`virtual:src/x.ts`). */
function toDiagnostic(message: EsbuildMessage, entry: string): Diagnostic {
  if (message.location === null) return { file: entry, line: 1, column: 1, message: message.text };
  const file = message.location.file.replace(/^[a-z-]+:/, "");
  return { file, line: message.location.line, column: message.location.column + 1, message: message.text };
}
