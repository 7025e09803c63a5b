import type { Diagnostic } from "../core/errors";
import { validateSourceFiles } from "./source-files";
import { DEFAULT_CPU_BUDGET_MS } from "./guard-runtime";
import type { BuildOptions, BuildResult, CompilerStage, SourceFiles } from "./types";

/** Most a build may set as the CPU budget: a minute is already far beyond what a request should take. */
const MAX_CPU_BUDGET_MS = 60_000;

/**
 * Validates, type-checks and bundles an app inside this isolate with no
 * network. The bundle's main module is Kiln's wrapper around the app's entry;
 * the app's own code is instrumented with loop guards (see loop-guards.ts).
 */
export async function buildApp(files: SourceFiles, options: BuildOptions = {}): Promise<BuildResult> {
  const cpuBudgetMs = options.cpuBudgetMs ?? DEFAULT_CPU_BUDGET_MS;
  // A caller's mistake, not the app's: fail loudly rather than build an app with no working guard.
  if (!Number.isInteger(cpuBudgetMs) || cpuBudgetMs < 1 || cpuBudgetMs > MAX_CPU_BUDGET_MS) {
    throw new RangeError(`cpuBudgetMs must be a whole number of ms from 1 to ${MAX_CPU_BUDGET_MS}, not ${cpuBudgetMs}`);
  }
  const validation = validateSourceFiles(files);
  if (!validation.ok)
    return failed(
      "files",
      "The upload cannot be built: some files are missing or not allowed.",
      validation.diagnostics,
    );
  const { files: sources, entry, warnings } = validation.sources;

  // Loaded on first use: TypeScript, esbuild and the seed cost startup time every isolate would pay.
  const { typeCheck } = await import("./type-check");
  const typeErrors = await typeCheck(sources, entry);
  if (typeErrors.length > 0)
    return failed(
      "type-check",
      `${countProblems(typeErrors)} in the app's code must be fixed before it can run.`,
      typeErrors,
    );
  await options.onStagePassed?.("type-check");

  const { bundleApp } = await import("./bundle");
  const bundled = await bundleApp(sources, entry, { cpuBudgetMs: options.guards === false ? null : cpuBudgetMs });
  if (!bundled.ok)
    return failed(
      "bundle",
      `${countProblems(bundled.diagnostics)} stopped the app's code from being packaged.`,
      bundled.diagnostics,
    );
  await options.onStagePassed?.("bundle");
  return {
    ok: true,
    bundle: bundled.bundle,
    connectors: bundled.connectors,
    warnings: [...warnings, ...bundled.warnings],
  };
}

function failed(stage: CompilerStage, message: string, diagnostics: Diagnostic[]): BuildResult {
  return { ok: false, message, diagnostics, stage };
}

function countProblems(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.length === 1 ? "1 problem" : `${diagnostics.length} problems`;
}
