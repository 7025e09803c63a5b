import type { Environment } from "../core/env";
import { nowIso } from "../core/ids";

/** Why a version became current in an environment. */
export type DeploymentKind = "upload" | "publish" | "rollback";

/** Records that `version` now serves `environment`. */
export function recordDeployment(
  db: D1Database,
  d: { appId: string; environment: Environment; version: string; kind: DeploymentKind; userId: string },
): D1PreparedStatement {
  return db
    .prepare(
      "INSERT INTO deployments (app_id, environment, version, kind, deployed_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(d.appId, d.environment, d.version, d.kind, d.userId, nowIso());
}

/** Whether a version has ever served the live environment (rollback targets must have). */
export async function wasEverLive(db: D1Database, appId: string, version: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS hit FROM deployments WHERE app_id = ? AND environment = 'live' AND version = ? LIMIT 1")
    .bind(appId, version)
    .first<{ hit: number }>();
  return row !== null;
}

/** The versions of an app that have ever served the live environment (the ones it can roll back to). */
export async function versionsEverLive(db: D1Database, appId: string): Promise<Set<string>> {
  const { results } = await db
    .prepare("SELECT DISTINCT version FROM deployments WHERE app_id = ? AND environment = 'live'")
    .bind(appId)
    .all<{ version: string }>();
  return new Set(results.map((row) => row.version));
}

/** The version the preview ran just before `version` last became its version (what undoing that change returns to). */
export async function previewBefore(db: D1Database, appId: string, version: string): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT version FROM deployments
       WHERE app_id = ?1 AND environment = 'preview' AND version != ?2
         AND id < (SELECT MAX(id) FROM deployments WHERE app_id = ?1 AND environment = 'preview' AND version = ?2)
       ORDER BY id DESC LIMIT 1`,
    )
    .bind(appId, version)
    .first<{ version: string }>();
  return row?.version ?? null;
}
