import { ApiError, BuildFailedError, type DeployStage, type Diagnostic } from "../core/errors";
import type { LastBuildStatus, LastBuild } from "../core/api-shapes/versions";

interface LastBuildRow {
  status: LastBuildStatus;
  stage: DeployStage | null;
  message: string | null;
  diagnostics_json: string;
  version: string | null;
  preview_version: string | null;
  built_at: string;
}

/** Replaces the app's last-build record; every deploy (hand save, chat turn, repair attempt) calls it once. */
export async function recordLastBuild(
  db: D1Database,
  appId: string,
  userId: string,
  build: Omit<LastBuild, "builtAt">,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO app_last_builds (app_id, status, stage, message, diagnostics_json, version, preview_version, user_id, built_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (app_id) DO UPDATE SET status = excluded.status, stage = excluded.stage, message = excluded.message,
         diagnostics_json = excluded.diagnostics_json, version = excluded.version, preview_version = excluded.preview_version,
         user_id = excluded.user_id, built_at = excluded.built_at`,
    )
    .bind(
      appId,
      build.status,
      build.stage,
      build.message,
      JSON.stringify(build.diagnostics),
      build.version,
      build.previewVersion,
      userId,
      new Date().toISOString(),
    )
    .run();
}

/** The app's last build, or null before its first one. */
export async function readLastBuild(db: D1Database, appId: string): Promise<LastBuild | null> {
  const row = await db
    .prepare(
      "SELECT status, stage, message, diagnostics_json, version, preview_version, built_at FROM app_last_builds WHERE app_id = ?",
    )
    .bind(appId)
    .first<LastBuildRow>();
  if (!row) return null;
  return {
    status: row.status,
    stage: row.stage,
    message: row.message,
    diagnostics: JSON.parse(row.diagnostics_json) as Diagnostic[],
    version: row.version,
    previewVersion: row.preview_version,
    builtAt: row.built_at,
  };
}

/**
 * A refused deploy as a last-build record. Errors that are not the code's fault
 * (Kiln itself failing) are recorded too, so the tab never shows an older success as current.
 */
export function failedBuild(error: unknown, previewVersion: string | null): Omit<LastBuild, "builtAt"> {
  const base = { version: null, previewVersion };
  if (error instanceof BuildFailedError)
    return { ...base, status: "failed", stage: error.stage, message: error.message, diagnostics: error.diagnostics };
  if (error instanceof ApiError && error.code === "destructive_change") {
    return {
      ...base,
      status: "needs_confirmation",
      stage: "migration",
      message: `The code built, but it would remove or change existing preview data (${changeList(error.extra.changes)}). Nothing was deployed; save again and confirm to go ahead.`,
      diagnostics: [],
    };
  }
  const message =
    error instanceof ApiError
      ? error.message
      : "Kiln failed while building the app; try again. If it keeps happening, check the server logs.";
  return { ...base, status: "failed", stage: null, message, diagnostics: [] };
}

function changeList(changes: unknown): string {
  if (!Array.isArray(changes)) return "see the save's message";
  return changes
    .map((c: unknown) =>
      typeof c === "object" && c !== null && "description" in c ? String(c.description) : String(c),
    )
    .join("; ");
}
