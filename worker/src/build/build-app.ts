import type { Diagnostic } from "../errors";
import { validateSourceFiles } from "./source-files";
import type { BuildResult, SourceFiles } from "./types";

/**
 * Validates, type-checks and bundles an app inside this isolate with no
 * network. The bundle's main module is Kiln's wrapper around the app's entry.
 */
export async function buildApp(files: SourceFiles): Promise<BuildResult> {
  const validation = validateSourceFiles(files);
  if (!validation.ok) return failed("The upload cannot be built: some files are missing or not allowed.", validation.diagnostics);
  const { files: sources, entry, warnings } = validation.sources;

  // Loaded on first use: TypeScript, esbuild and the seed cost startup time every isolate would pay.
  const { typeCheck } = await import("./type-check");
  const typeErrors = await typeCheck(sources, entry);
  if (typeErrors.length > 0) return failed(`${countProblems(typeErrors)} in the app's code must be fixed before it can run.`, typeErrors);

  const { bundleApp } = await import("./bundle");
  const bundled = await bundleApp(sources, entry);
  if (!bundled.ok) return failed(`${countProblems(bundled.diagnostics)} stopped the app's code from being packaged.`, bundled.diagnostics);
  return { ok: true, bundle: bundled.bundle, warnings: [...warnings, ...bundled.warnings] };
}

function failed(message: string, diagnostics: Diagnostic[]): BuildResult {
  return { ok: false, message, diagnostics };
}

function countProblems(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.length === 1 ? "1 problem" : `${diagnostics.length} problems`;
}
