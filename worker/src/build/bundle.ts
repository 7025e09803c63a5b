import { createWorker, InMemoryFileSystem } from "@cloudflare/worker-bundler";
import type { Diagnostic } from "../errors";
import { WRAPPER_ENTRY, wrapperFiles } from "./entry-wrapper";
import { importPolicyPlugin } from "./import-policy";
import { libraryModulesFor } from "./seed";
import { TEXT_MODULE_EXTENSIONS } from "./source-files";
import type { AppBundle } from "./types";

/** esbuild's message shape, as carried on the error it throws (`error.errors`). */
interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number } | null;
}

/** A bundle ready for the loader, or esbuild's problems as diagnostics. */
export type BundleOutcome = { ok: true; bundle: AppBundle; warnings: string[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Bundles the app's own files behind Kiln's entry wrapper into `bundle.js`.
 * hono/zod/kiln stay external: they are prebuilt modules from the seed that
 * ship next to it (re-bundling zod alone costs ~1 s of esbuild-wasm per
 * build). No package.json reaches the bundler, so it never installs anything;
 * `cloudflare:*` and `node:*` stay external for the runtime to provide.
 */
export async function bundleApp(files: ReadonlyMap<string, string>, entry: string): Promise<BundleOutcome> {
  const fileSystem = new InMemoryFileSystem({ ...Object.fromEntries(files), ...wrapperFiles(entry) });
  const usedLibraries = new Set<string>();
  let result: Awaited<ReturnType<typeof createWorker>>;
  try {
    result = await createWorker({
      files: fileSystem,
      entryPoint: WRAPPER_ENTRY,
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
  // Library imports were written relative to the root, where the main module must sit.
  if (result.mainModule.includes("/")) throw new Error(`bundler main module ${result.mainModule} is not at the root`);
  const modules: Record<string, string> = libraryModulesFor(usedLibraries);
  for (const [name, module] of Object.entries(result.modules)) {
    if (typeof module !== "string") throw new Error(`bundler produced a non-text module ${name}`);
    modules[name] = module;
  }
  return { ok: true, bundle: { mainModule: result.mainModule, modules }, warnings: result.warnings ?? [] };
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
