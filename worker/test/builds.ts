// Helpers shared by the build pipeline's tests (not a test file itself).
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Diagnostic } from "../src/core/errors";
import { buildApp, type AppBundle, type BuildOptions, type SourceFiles } from "../src/compiler";

/** Loads a bundle the way the platform will; `harness` (a module run first) lets a test stand in for the network. */
export function load(bundle: AppBundle, harness?: string, appEnv: Record<string, unknown> = {}): WorkerStub {
  const modules: Record<string, string> = { ...bundle.modules };
  let mainModule = bundle.mainModule;
  if (harness !== undefined) {
    // Evaluated before the bundle, so the wrapper's fetch sits on top of this stand-in.
    modules["harness/network.js"] = harness;
    modules["harness/main.js"] = [
      `import "./network.js";`,
      `export * from "../${bundle.mainModule}";`,
      `export { default } from "../${bundle.mainModule}";`,
    ].join("\n");
    mainModule = "harness/main.js";
  }
  return env.LOADER.load({
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    mainModule,
    modules,
    env: appEnv,
    globalOutbound: null,
  });
}

/** Builds `files`, which must succeed without warnings. */
export async function build(files: SourceFiles, options?: BuildOptions): Promise<AppBundle> {
  const result = await buildApp(files, options);
  if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result)}`);
  expect(result.warnings).toEqual([]);
  expect(Object.keys(result.bundle.modules).every((name) => name.endsWith(".js"))).toBe(true);
  return result.bundle;
}

/** Builds `files`, which must fail. */
export async function failure(files: SourceFiles): Promise<{ message: string; diagnostics: Diagnostic[] }> {
  const result = await buildApp(files);
  if (result.ok) throw new Error("expected the build to fail");
  return result;
}
