import { FAILING_AFTER } from "../automations/automation-store";
import type { AppHealth } from "../core/api-shapes/apps";

const HEALTHY: AppHealth = {
  pausedVersions: 0,
  failingAutomations: 0,
  automations: 0,
  liveNumber: null,
  previewNumber: null,
};

/** The health of every app `ownerId` owns, in three grouped queries (not one per app). */
export async function healthOfOwnedApps(db: D1Database, ownerId: string): Promise<Map<string, AppHealth>> {
  const [paused, automations, numbers] = await db.batch<{
    app_id: string;
    paused?: number;
    total?: number;
    failing?: number;
    live?: number | null;
    preview?: number | null;
  }>([
    db
      .prepare(
        "SELECT q.app_id, COUNT(*) AS paused FROM quarantines q JOIN apps a ON a.id = q.app_id WHERE a.owner_id = ? GROUP BY q.app_id",
      )
      .bind(ownerId),
    db
      .prepare(
        `SELECT t.app_id, COUNT(*) AS total, SUM(t.consecutive_failures >= ?) AS failing
         FROM automations t JOIN apps a ON a.id = t.app_id WHERE a.owner_id = ? AND t.active = 1 GROUP BY t.app_id`,
      )
      .bind(FAILING_AFTER, ownerId),
    db
      .prepare(
        `SELECT a.id AS app_id, lv.number AS live, pv.number AS preview FROM apps a
         LEFT JOIN versions lv ON lv.app_id = a.id AND lv.version = a.live_version
         LEFT JOIN versions pv ON pv.app_id = a.id AND pv.version = a.preview_version
         WHERE a.owner_id = ? AND (a.live_version IS NOT NULL OR a.preview_version IS NOT NULL)`,
      )
      .bind(ownerId),
  ]);
  const health = new Map<string, AppHealth>();
  const entry = (appId: string) => health.get(appId) ?? { ...HEALTHY };
  for (const row of paused?.results ?? [])
    health.set(row.app_id, { ...entry(row.app_id), pausedVersions: row.paused ?? 0 });
  for (const row of automations?.results ?? []) {
    health.set(row.app_id, { ...entry(row.app_id), automations: row.total ?? 0, failingAutomations: row.failing ?? 0 });
  }
  for (const row of numbers?.results ?? []) {
    health.set(row.app_id, { ...entry(row.app_id), liveNumber: row.live ?? null, previewNumber: row.preview ?? null });
  }
  return health;
}

/** An app with nothing to report. */
export function healthy(): AppHealth {
  return { ...HEALTHY };
}
