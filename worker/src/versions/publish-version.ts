import type { AppRecord } from "../core/records";
import type { CopiedRows, PublishResult } from "../core/api-shapes/versions";
import { rowTotal } from "./publish-plan";
import { appConfig, setDeployedVersion } from "../apps/app-repository";
import { appUrl } from "../placement/app-urls";
import { recordAudit } from "../audit/audit-log";
import { appDataStore } from "../data";
import { dataValue } from "../data/data-results";
import type { Env } from "../core/env";
import { ApiError, NotFoundError } from "../core/errors";
import { releaseQuarantine } from "../incidents/incident-store";
import type { AppRunner } from "../isolates/app-runner";
import { prewarmVersion } from "../isolates/prewarm";
import { appChanged } from "../serving/app-lookup";
import { type DeploymentKind, recordDeployment, wasEverLive } from "./deployments";
import { destructiveChangeError } from "./destructive-change";
import { missingSetup } from "./declared-setup";
import { findVersion } from "./version-store";
import { syncLiveAutomations } from "../automations/automation-store";
import { applyDeclaredAccess } from "../access/access-store";
import { OWNER_ROLE } from "../access/visitor-session";

/**
 * Makes a stored version the live one: migrates the live database to its
 * schema (destructive changes only when confirmed), then switches the
 * pointer. Rollback is the same move, restricted to versions that were live.
 * Answers with the services the now-live code uses, for the owner to see.
 */
export async function publishVersion(
  env: Env,
  runner: AppRunner,
  app: AppRecord,
  userId: string,
  version: string,
  options: {
    confirmDestructive: boolean;
    kind: Exclude<DeploymentKind, "upload">;
    /** `copy`: the preview's rows go into the (empty) live database before it serves; the first publish offers it. */
    liveData?: "copy" | "empty";
  },
): Promise<PublishResult> {
  const record = await findVersion(env.DB, app.id, version);
  if (!record) throw new NotFoundError(`Version ${version}`);
  if (options.kind === "rollback" && !(await wasEverLive(env.DB, app.id, version))) {
    throw new ApiError(
      409,
      "conflict",
      `Version ${version} has never been live, so there is nothing to roll back to. Publish it instead.`,
    );
  }
  // The live app would run without what its code needs from the owner: say what to fill in, before anything changes.
  const missing = missingSetup(record.setup, await appConfig(env.DB, app.id));
  if (missing.length > 0)
    throw new ApiError(
      409,
      "setup_required",
      `Before this version can go live, fill in what it needs in Setup: ${missing.join("; ")}.`,
      { missing },
    );
  const live = appDataStore(env, app, "live");
  // Checked before the live tables change: a copy only ever fills an empty live database.
  if (options.liveData === "copy") {
    const rows = rowTotal(dataValue(await live.describe()));
    if (rows > 0)
      throw new ApiError(
        409,
        "conflict",
        `Nothing was published: the live app already has ${rows} row${rows === 1 ? "" : "s"}, and the preview's are only copied into an empty one. Publish again without copying.`,
      );
  }
  const applied = await live.applySchema(record.tables, { allowDestructive: options.confirmDestructive });
  if (!applied.ok) {
    if (applied.error.code === "destructive_change" && applied.error.details?.plan)
      throw destructiveChangeError(applied.error.details.plan, "live");
    throw new ApiError(409, "conflict", applied.error.message);
  }
  const copied = options.liveData === "copy" ? await copyPreviewRows(env, app) : undefined;
  await prewarmVersion(env, runner, { appId: app.id, environment: "live", version, connectors: record.connectors });
  // The code's `access` becomes the live rule before the code serves (unless the owner chose one in the Access tab).
  if (await applyDeclaredAccess(env.DB, app.id, "live", record.visitors.access)) {
    await live.endVisitorSessions({ allBut: OWNER_ROLE });
    const rule = record.visitors.access ?? { rule: "default" };
    await recordAudit(env.DB, {
      userId,
      appId: app.id,
      action: "access.set",
      detail: { environment: "live", ...rule, setBy: "app" },
    });
  }
  await setDeployedVersion(env.DB, app.id, "live", version);
  await syncLiveAutomations(env.DB, app.id, version, record.automations, new Date());
  // Publishing is the owner's explicit "serve this": it also lifts a pause on that version.
  await releaseQuarantine(env.DB, app.id, version);
  await env.DB.batch([
    recordDeployment(env.DB, { appId: app.id, environment: "live", version, kind: options.kind, userId }),
  ]);
  await recordAudit(env.DB, {
    userId,
    appId: app.id,
    action: options.kind === "publish" ? "app.publish" : "app.rollback",
    detail: { version, ...(copied ? { copiedRows: copied.reduce((sum, t) => sum + t.rows, 0) } : {}) },
  });
  await appChanged(env, app.slug);
  return {
    version,
    liveUrl: appUrl(env, app.slug, "live"),
    connectors: record.connectors,
    ...(copied ? { copied } : {}),
  };
}

/** Copies the preview's rows into the live database, which must be empty (so a repeat copies nothing twice). */
async function copyPreviewRows(env: Env, app: AppRecord): Promise<CopiedRows[]> {
  const dump = await appDataStore(env, app, "preview").exportData();
  const loaded = await appDataStore(env, app, "live").importData(dataValue(dump));
  if (!loaded.ok)
    throw new ApiError(
      409,
      "conflict",
      `Nothing was published: the preview's data could not be copied to the live app. ${loaded.error.message}`,
    );
  const leftOut = [...loaded.value.skippedTables, ...loaded.value.skippedColumns];
  return loaded.value.tables
    .map((table): CopiedRows => ({ table: table.name, rows: table.rows }))
    .concat(leftOut.map((name) => ({ table: name, rows: 0, leftOut: true })));
}
