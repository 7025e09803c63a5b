// What needs the owner on each app — the badges of the app list and the workspace: live automations whose last
// finished run failed, paused versions, and services the app's deployed code uses whose connection needs
// reconnecting. Three grouped queries for all of an owner's apps, not three per app.
import type { AppProblems } from "../core/api-shapes/alerts";
import type { ConnectorId } from "../core/api-shapes/connections";

/** An app with nothing to fix. */
export function noProblems(): AppProblems {
  return { failingAutomations: [], pausedVersions: [], reconnect: [] };
}

/** The problems of every app `ownerId` owns (or only `appId`), by app id; apps with none are absent. */
export async function problemsOfOwnedApps(
  db: D1Database,
  ownerId: string,
  appId: string | null = null,
): Promise<Map<string, AppProblems>> {
  const [failing, paused, reconnect] = await db.batch<{ appId: string; name: string }>([
    db
      .prepare(
        `SELECT t.app_id AS appId, t.name AS name FROM automations t JOIN apps a ON a.id = t.app_id
         WHERE a.owner_id = ?1 AND (?2 IS NULL OR a.id = ?2) AND t.active = 1
           AND (SELECT r.status FROM automation_runs r
                WHERE r.app_id = t.app_id AND r.automation = t.name AND r.environment = 'live'
                  AND r.status IN ('succeeded', 'failed')
                ORDER BY r.created_at DESC LIMIT 1) = 'failed'
         ORDER BY t.name`,
      )
      .bind(ownerId, appId),
    db
      .prepare(
        `SELECT q.app_id AS appId, q.version AS name FROM quarantines q JOIN apps a ON a.id = q.app_id
         WHERE a.owner_id = ?1 AND (?2 IS NULL OR a.id = ?2) ORDER BY q.created_at`,
      )
      .bind(ownerId, appId),
    // A connection is one per owner and service; an app needs it when its live or preview code imports the service.
    db
      .prepare(
        `SELECT DISTINCT a.id AS appId, c.connector AS name FROM apps a
         JOIN versions v ON v.app_id = a.id AND v.version IN (a.live_version, a.preview_version)
         JOIN connections c ON c.owner_id = a.owner_id AND c.status = 'needs_reconnect'
         WHERE a.owner_id = ?1 AND (?2 IS NULL OR a.id = ?2)
           AND EXISTS (SELECT 1 FROM json_each(v.connectors_json) j WHERE j.value = c.connector)
         ORDER BY c.connector`,
      )
      .bind(ownerId, appId),
  ]);
  const problems = new Map<string, AppProblems>();
  const of = (id: string) => {
    const entry = problems.get(id) ?? noProblems();
    problems.set(id, entry);
    return entry;
  };
  for (const row of failing?.results ?? []) of(row.appId).failingAutomations.push(row.name);
  for (const row of paused?.results ?? []) of(row.appId).pausedVersions.push(row.name);
  for (const row of reconnect?.results ?? []) {
    const list = of(row.appId).reconnect;
    if (!list.includes(row.name as ConnectorId)) list.push(row.name as ConnectorId);
  }
  return problems;
}
