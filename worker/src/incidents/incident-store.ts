import type { AlertDeliveryEnv } from "../alerts/alert-delivery";
import { raiseAlert } from "../alerts/alert-digest";
import type { Environment } from "../core/env";
import { nowIso } from "../core/ids";
import { appendLogs } from "../logs/log-store";
import type { Incident as IncidentView, IncidentReason, Quarantine } from "../core/api-shapes/apps";

/** One time an app version brought the runner down. */
export interface Incident {
  appId: string;
  environment: Environment;
  version: string;
  requestId: string | null;
  reason: IncidentReason;
  /** Extra detail in plain words, e.g. the budget that was exceeded. */
  detail?: string;
}

/** Crashes within this window count towards quarantine. */
export const QUARANTINE_WINDOW_MS = 10 * 60_000;
/** Crashes within the window that pause a version. */
export const QUARANTINE_AFTER = 2;

/** The sentence an app's owner reads about an incident. */
export function incidentMessage(reason: IncidentReason, detail?: string): string {
  const what =
    reason === "time_budget"
      ? "kept the app runner busy past its time budget, so Kiln stopped and restarted the runner"
      : reason === "memory_budget"
        ? "used more memory than the app runner may use, so Kiln stopped and restarted the runner"
        : "crashed the app runner, so Kiln restarted it";
  return `This request ${what}${detail ? ` (${detail})` : ""}.`;
}

/**
 * Records an incident as a failed request in the app's logs and, on the
 * second one within ten minutes, quarantines the version and alerts its owner. Returns whether
 * the version is now quarantined.
 */
export async function recordIncident(env: AlertDeliveryEnv, incident: Incident): Promise<{ quarantined: boolean }> {
  const db = env.DB;
  const message = incidentMessage(incident.reason, incident.detail);
  const now = nowIso();
  await db
    .prepare(
      "INSERT INTO app_incidents (app_id, environment, version, request_id, reason, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(incident.appId, incident.environment, incident.version, incident.requestId, incident.reason, message, now)
    .run();
  await appendLogs(db, [{ ...incident, level: "error", message: `Request failed: ${message}` }]);
  const since = new Date(Date.now() - QUARANTINE_WINDOW_MS).toISOString();
  const recent = await db
    .prepare("SELECT COUNT(*) AS n FROM app_incidents WHERE app_id = ? AND version = ? AND created_at >= ?")
    .bind(incident.appId, incident.version, since)
    .first<{ n: number }>();
  if ((recent?.n ?? 0) < QUARANTINE_AFTER) return { quarantined: false };
  const pausedBecause = `Version ${incident.version} brought the app runner down ${recent?.n} times within 10 minutes; the last time it ${message.replace(/^This request /, "").replace(/\.$/, "")}. It is paused until you publish a new version or resume it.`;
  const paused = await db
    .prepare(
      "INSERT INTO quarantines (app_id, version, reason, message, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(app_id, version) DO NOTHING",
    )
    .bind(incident.appId, incident.version, incident.reason, pausedBecause, now)
    .run();
  await appendLogs(db, [{ ...incident, level: "error", message: pausedBecause }]);
  if (paused.meta.changes > 0)
    await raiseAlert(env, {
      kind: "version_paused",
      appId: incident.appId,
      subject: incident.version,
      detail: pausedBecause,
    });
  return { quarantined: true };
}

/** The app's paused versions. */
export async function listQuarantines(db: D1Database, appId: string): Promise<Quarantine[]> {
  const { results } = await db
    .prepare(
      "SELECT version, reason, message, created_at AS since FROM quarantines WHERE app_id = ? ORDER BY created_at DESC",
    )
    .bind(appId)
    .all<Quarantine>();
  return results;
}

/** Releases paused versions of an app (all of them, or one); returns how many were released. */
export async function releaseQuarantine(db: D1Database, appId: string, version?: string): Promise<number> {
  const statement = version
    ? db.prepare("DELETE FROM quarantines WHERE app_id = ? AND version = ?").bind(appId, version)
    : db.prepare("DELETE FROM quarantines WHERE app_id = ?").bind(appId);
  return (await statement.run()).meta.changes;
}

/** The app's incidents, newest first. */
export async function listIncidents(db: D1Database, appId: string, limit = 50): Promise<IncidentView[]> {
  const { results } = await db
    .prepare(
      "SELECT id, environment, version, request_id AS requestId, reason, message, created_at AS createdAt FROM app_incidents WHERE app_id = ? ORDER BY id DESC LIMIT ?",
    )
    .bind(appId, limit)
    .all<IncidentView>();
  return results;
}
