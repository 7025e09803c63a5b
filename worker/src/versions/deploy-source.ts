import type { AppRecord } from "../core/records";
import { appUrl } from "../placement/app-urls";
import { appChanged } from "../serving/app-lookup";
import { recordAudit } from "../audit/audit-log";
import { type SourceFiles, cachedBuild } from "../compiler";
import { appDataStore, scratchDataStore } from "../data";
import { deleteTrialFiles } from "../files/app-files-admin";
import { normaliseTables } from "../data/schema";
import { DataError } from "../data/result";
import type { Env } from "../core/env";
import { ApiError, BuildFailedError, type DeployStage } from "../core/errors";
import type { AppRunner, TrialTarget } from "../isolates/app-runner";
import { RunnerLostError } from "../isolates/remote-runner";
import { lossInWords } from "../incidents/runner-losses";
import { appConfig, setAppConfig, setDeployedVersion } from "../apps/app-repository";
import { recordDeployment } from "./deployments";
import { destructiveChangeError } from "./destructive-change";
import { problemsAsDiagnostics } from "../compiler/schema-problems";
import { type AppCheck, checkRequest, checkVerdict, parseAppChecks } from "./app-checks";
import { saveVersion, versionHash } from "./version-store";
import { parseAutomations } from "../automations/declarations";
import { parseDeclaredTools } from "./declared-tools";
import { parseDeclaredAccess } from "./declared-access";
import { parseDeclaredSetup, setupDefaults } from "./declared-setup";
import { failedBuild, recordLastBuild } from "./last-build";
import { REQUEST_ID_HEADER } from "../core/headers";
import { newId } from "../core/ids";
import type { DeployResult } from "../core/api-shapes/versions";

/** What a deploy may be told: confirmation of data loss, and a listener for each step that passed. */
export interface DeployOptions {
  confirmDestructive: boolean;
  onStagePassed?: (stage: DeployStage) => Promise<void> | void;
}

/**
 * Source in, preview out: type-check and bundle (or reuse the build of an
 * identical source, build-cache.ts), start it in a throwaway
 * isolate against a scratch database, then store the immutable version and
 * point preview at it. Any failure leaves every previous version untouched.
 * Either way the outcome becomes the app's last build (last-build.ts).
 */
export async function deploySource(
  env: Env,
  runner: AppRunner,
  app: AppRecord,
  userId: string,
  files: SourceFiles,
  options: DeployOptions,
): Promise<DeployResult> {
  let result: DeployResult;
  try {
    result = await buildAndDeploy(env, runner, app, userId, files, options);
  } catch (error) {
    await recordLastBuild(env.DB, app.id, userId, failedBuild(error, app.previewVersion));
    throw error;
  }
  await recordLastBuild(env.DB, app.id, userId, {
    status: "ok",
    stage: null,
    message: null,
    diagnostics: [],
    version: result.version,
    previewVersion: result.version,
  });
  return result;
}

async function buildAndDeploy(
  env: Env,
  runner: AppRunner,
  app: AppRecord,
  userId: string,
  files: SourceFiles,
  options: DeployOptions,
): Promise<DeployResult> {
  const passed = async (stage: DeployStage) => options.onStagePassed?.(stage);
  // Only the type-check and bundle are skipped for a source built before; every check below runs for each upload.
  const build = await cachedBuild(env.BUNDLES, files, { onStagePassed: passed });
  if (!build.ok) throw new BuildFailedError(build.message, build.diagnostics, build.stage);
  const version = await versionHash(files);

  let declared: unknown;
  let declaredChecks: unknown;
  let declaredAutomations: unknown;
  let declaredRoles: unknown;
  let declaredAccess: unknown;
  let declaredSetup: unknown;
  let declaredTools: unknown;
  try {
    ({
      tables: declared,
      checks: declaredChecks,
      automations: declaredAutomations,
      roles: declaredRoles,
      access: declaredAccess,
      setup: declaredSetup,
      tools: declaredTools,
    } = await runner.inspect(build.bundle));
  } catch (error) {
    throw new BuildFailedError(
      "The app stopped with an error while starting.",
      problemsAsDiagnostics(files, [`Starting the app failed: ${await explain(error)}`], "default"),
      "start",
    );
  }
  const tables = validateTables(files, declared);
  const checks = parseAppChecks(files, declaredChecks);
  const automations = parseAutomations(files, declaredAutomations);
  const visitors = parseDeclaredAccess(files, declaredRoles, declaredAccess);
  const setup = parseDeclaredSetup(files, declaredSetup);
  // Only the names are stored (whether `/mcp` is Kiln's on the host); `tools/list` asks the version's own isolate.
  const tools = parseDeclaredTools(files, declaredTools, visitors.roles).map((tool) => tool.name);
  await passed("start");
  const config = await appConfig(env.DB, app.id);
  const defaults = setupDefaults(setup, config);
  await smokeStart(env, runner, app, version, build, tables, files, checks, { ...defaults, ...config }, passed);

  const preview = appDataStore(env, app, "preview");
  const plan = await preview.planSchema(tables);
  if (!plan.ok)
    throw new BuildFailedError(
      plan.error.message,
      problemsAsDiagnostics(files, [plan.error.message], "tables"),
      "migration",
    );
  if (plan.value.destructive.length > 0 && !options.confirmDestructive)
    throw destructiveChangeError(plan.value, "preview");

  const { connectors } = build;
  await saveVersion(env, {
    appId: app.id,
    version,
    files,
    bundle: build.bundle,
    tables,
    warnings: build.warnings,
    connectors,
    automations,
    visitors,
    setup,
    tools,
    userId,
  });
  // A declared default is the app's value until the owner changes it, so the code reads it from CONFIG at once.
  if (Object.keys(defaults).length > 0) await setAppConfig(env.DB, app.id, { ...config, ...defaults });
  const applied = await preview.applySchema(tables, { allowDestructive: options.confirmDestructive });
  if (!applied.ok) {
    if (applied.error.code === "destructive_change" && applied.error.details?.plan)
      throw destructiveChangeError(applied.error.details.plan, "preview");
    throw new ApiError(409, "conflict", applied.error.message);
  }
  await passed("migration");
  // The preview is not prewarmed: most previews are looked at once or never, and a warm isolate stays in the runner
  // until it restarts. Its first request starts it (a few milliseconds); publishing prewarms the live one.
  await setDeployedVersion(env.DB, app.id, "preview", version);
  await env.DB.batch([
    recordDeployment(env.DB, { appId: app.id, environment: "preview", version, kind: "upload", userId }),
  ]);
  await recordAudit(env.DB, { userId, appId: app.id, action: "version.create", detail: { version } });
  await appChanged(env, app.slug);
  const numberRow = await env.DB.prepare("SELECT number FROM versions WHERE app_id = ? AND version = ?")
    .bind(app.id, version)
    .first<{ number: number }>();
  return {
    version,
    number: numberRow?.number ?? null,
    previewUrl: appUrl(env, app.slug, "preview"),
    warnings: build.warnings,
    connectors,
  };
}

function validateTables(files: SourceFiles, declared: unknown): unknown {
  if (declared === null || declared === undefined) return {};
  try {
    return normaliseTables(declared);
  } catch (error) {
    if (error instanceof DataError) {
      const problems = error.details?.problems ?? [error.message];
      throw new BuildFailedError(
        "The tables the app declares are not valid.",
        problemsAsDiagnostics(files, problems, "tables"),
        "start",
      );
    }
    throw error;
  }
}

// The smoke start: module evaluates and `GET /` answers without a server error,
// against a scratch database (and scratch files) so trying a build never writes to preview data.
async function smokeStart(
  env: Env,
  runner: AppRunner,
  app: AppRecord,
  version: string,
  build: Pick<TrialTarget, "bundle" | "connectors">,
  tables: unknown,
  files: SourceFiles,
  checks: AppCheck[],
  config: Readonly<Record<string, string>>,
  passed: (stage: DeployStage) => Promise<void>,
): Promise<void> {
  const scratchName = `${app.id}:trial:${version}:${crypto.randomUUID()}`;
  const scratch = scratchDataStore(env, app, scratchName);
  try {
    const applied = await scratch.applySchema(tables, { allowDestructive: true });
    if (!applied.ok)
      throw new BuildFailedError(
        applied.error.message,
        problemsAsDiagnostics(files, [applied.error.message], "tables"),
        "start",
      );
    const request = new Request(appUrl(env, app.slug, "preview"), { headers: { [REQUEST_ID_HEADER]: newId("req") } });
    let response: Response;
    try {
      response = await runner.trial(
        { appId: app.id, scratchDatabase: scratchName, bundle: build.bundle, connectors: build.connectors, config },
        request,
      );
    } catch (error) {
      throw new BuildFailedError(
        "The app threw an error when opening its home page.",
        problemsAsDiagnostics(files, [`GET / threw: ${await explain(error)}`], "default"),
        "smoke-test",
      );
    }
    if (response.status >= 500) {
      const body = (await response.text()).slice(0, 300);
      throw new BuildFailedError(
        "The app's home page answered with a server error.",
        problemsAsDiagnostics(files, [`GET / answered ${response.status}${body ? `: ${body}` : ""}`], "default"),
        "smoke-test",
      );
    }
    await response.body?.cancel();
    await passed("smoke-test");
    if (checks.length === 0) return;
    // The app's own checks, in order, on the same scratch database (a POST's row is there for the next GET).
    const failures: string[] = [];
    for (const [index, check] of checks.entries()) {
      let verdict: string | null;
      try {
        const answer = await runner.trial(
          { appId: app.id, scratchDatabase: scratchName, bundle: build.bundle, connectors: build.connectors, config },
          checkRequest(request.url, check, index),
        );
        verdict = checkVerdict(check, answer.status, await answer.text());
      } catch (error) {
        verdict = `"${check.name}": ${check.trigger ? "its trigger" : `${check.method} ${check.path}`} threw: ${await explain(error)}`;
      }
      if (verdict) failures.push(verdict);
    }
    if (failures.length > 0) {
      throw new BuildFailedError(
        `${failures.length} of the app's ${checks.length} checks failed.`,
        problemsAsDiagnostics(files, failures, "default"),
        "checks",
      );
    }
    await passed("checks");
  } finally {
    // The trial's files (files/<app>/trial/<scratch>/) go with its database. A failed cleanup is logged, never the
    // build's outcome; files it (or a crash) leaves, or an upload that commits after it, the minute cron sweeps.
    const cleanup = await Promise.allSettled([scratch.destroy(), deleteTrialFiles(env, app.id, scratchName)]);
    for (const outcome of cleanup)
      if (outcome.status === "rejected")
        console.error(`[deploy] trial cleanup of ${scratchName}: ${message(outcome.reason)}`);
  }
}

// A build that brings the runner down is explained with the supervisor's reason.
async function explain(error: unknown): Promise<string> {
  return error instanceof RunnerLostError ? lossInWords(error.call) : message(error);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
