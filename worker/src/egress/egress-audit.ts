import type { Environment } from "../core/env";
import type { OutboundCall } from "../core/api-shapes/logs";

/** One audited outbound call as it is recorded (no credential, header value or query value). */
export type EgressCall = Omit<OutboundCall, "id" | "createdAt">;

/** Calls kept per app; older rows are dropped as new ones arrive. */
export const MAX_EGRESS_CALLS_PER_APP = 5_000;

/** The path of `url` with its query's names but none of its values (values can hold personal data or tokens). */
export function auditPath(url: URL): string {
  const names = [...new Set(url.searchParams.keys())];
  return names.length === 0
    ? url.pathname
    : `${url.pathname}?${names.map((name) => `${encodeURIComponent(name)}=`).join("&")}`;
}

/** Stores one call, trimming the app's oldest rows past the cap. */
export async function recordEgressCall(db: D1Database, call: EgressCall): Promise<void> {
  await db.batch([
    db
      .prepare(
        "INSERT INTO egress_calls (app_id, environment, version, request_id, connector, method, host, path, outcome, status, duration_ms, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(
        call.appId,
        call.environment,
        call.version,
        call.requestId,
        call.connector,
        call.method,
        call.host,
        call.path,
        call.outcome,
        call.status,
        call.durationMs,
        call.bytes,
        new Date().toISOString(),
      ),
    db
      .prepare(
        "DELETE FROM egress_calls WHERE app_id = ? AND id <= (SELECT id FROM egress_calls WHERE app_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
      )
      .bind(call.appId, call.appId, MAX_EGRESS_CALLS_PER_APP),
  ]);
}

/** Filters of the audit listing. */
export interface EgressQuery {
  environment?: Environment | undefined;
  requestId?: string | undefined;
  before?: number | undefined;
  limit: number;
}

/** An app's calls, newest first. */
export async function listEgressCalls(db: D1Database, appId: string, query: EgressQuery): Promise<OutboundCall[]> {
  const { results } = await db
    .prepare(
      `SELECT id, app_id AS appId, environment, version, request_id AS requestId, connector, method, host, path, outcome, status,
              duration_ms AS durationMs, bytes, created_at AS createdAt
       FROM egress_calls
       WHERE app_id = ?1 AND (?2 IS NULL OR environment = ?2) AND (?3 IS NULL OR request_id = ?3) AND (?4 IS NULL OR id < ?4)
       ORDER BY id DESC LIMIT ?5`,
    )
    .bind(appId, query.environment ?? null, query.requestId ?? null, query.before ?? null, query.limit)
    .all<OutboundCall>();
  return results;
}
