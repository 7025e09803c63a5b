import type { Environment } from "../core/env";
import type { RequestBucket, RequestSummary } from "../core/api-shapes/requests";
import type { RequestTally } from "./request-records";

/** Most buckets a chart may ask for (a day by minute would be 1,440: too many points for a small chart). */
export const MAX_BUCKETS = 240;

/** How long per-minute counts are kept: the chart's longest range (7 days) and a day to spare. */
const KEEP_MINUTES_MS = 8 * 86_400_000;

/** Adds each tally to its app's minute (a minute may arrive in several batches) and forgets counts past a week. */
export async function appendTallies(db: D1Database, tallies: RequestTally[], now = new Date()): Promise<void> {
  if (tallies.length > 0) await db.batch(tallyStatements(db, tallies, now));
}

/** The statements of `appendTallies`, for a caller that writes them in one transaction with others. */
export function tallyStatements(db: D1Database, tallies: RequestTally[], now = new Date()): D1PreparedStatement[] {
  if (tallies.length === 0) return [];
  const add = db.prepare(
    `INSERT INTO app_request_minutes (app_id, environment, minute, requests, server_errors, client_errors)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (app_id, minute, environment) DO UPDATE SET requests = requests + excluded.requests,
       server_errors = server_errors + excluded.server_errors, client_errors = client_errors + excluded.client_errors`,
  );
  const statements = tallies.map((t) =>
    add.bind(t.appId, t.environment, t.minute, t.requests, t.serverErrors, t.clientErrors),
  );
  const expired = new Date(now.getTime() - KEEP_MINUTES_MS).toISOString();
  for (const appId of new Set(tallies.map((t) => t.appId)))
    statements.push(db.prepare("DELETE FROM app_request_minutes WHERE app_id = ? AND minute < ?").bind(appId, expired));
  return statements;
}

/**
 * Requests, server errors (5xx, or no answer at all) and client errors (4xx) per bucket from `from` to `to`,
 * every bucket present so a chart needs no gaps filled. From the per-minute counts (every request, even those the
 * log did not keep), so buckets are whole minutes or hours. One grouped query, whatever the traffic.
 */
export async function summarizeRequests(
  db: D1Database,
  appId: string,
  range: { from: Date; to: Date; bucketSeconds: number; environment?: Environment | undefined },
): Promise<RequestSummary> {
  const fromSeconds = Math.floor(range.from.getTime() / 1000);
  const count = Math.min(
    MAX_BUCKETS,
    Math.max(1, Math.ceil((range.to.getTime() / 1000 - fromSeconds) / range.bucketSeconds)),
  );
  const to = new Date((fromSeconds + count * range.bucketSeconds) * 1000);
  const { results } = await db
    .prepare(
      `SELECT CAST((CAST(strftime('%s', minute) AS INTEGER) - ?1) / ?2 AS INTEGER) AS bucket, SUM(requests) AS requests,
         SUM(server_errors) AS serverErrors, SUM(client_errors) AS clientErrors
       FROM app_request_minutes
       WHERE app_id = ?3 AND minute >= ?4 AND minute < ?5 AND (?6 IS NULL OR environment = ?6)
       GROUP BY bucket`,
    )
    .bind(
      fromSeconds,
      range.bucketSeconds,
      appId,
      new Date(fromSeconds * 1000).toISOString(),
      to.toISOString(),
      range.environment ?? null,
    )
    .all<{ bucket: number; requests: number; serverErrors: number; clientErrors: number }>();
  const buckets: RequestBucket[] = Array.from({ length: count }, (_, i) => ({
    start: new Date((fromSeconds + i * range.bucketSeconds) * 1000).toISOString(),
    requests: 0,
    serverErrors: 0,
    clientErrors: 0,
  }));
  for (const row of results) {
    const bucket = buckets[row.bucket];
    if (!bucket) continue;
    bucket.requests = row.requests;
    bucket.serverErrors = row.serverErrors ?? 0;
    bucket.clientErrors = row.clientErrors ?? 0;
  }
  const sum = (key: "requests" | "serverErrors" | "clientErrors") => buckets.reduce((n, b) => n + b[key], 0);
  return {
    from: new Date(fromSeconds * 1000).toISOString(),
    to: to.toISOString(),
    bucketSeconds: range.bucketSeconds,
    buckets,
    totals: { requests: sum("requests"), serverErrors: sum("serverErrors"), clientErrors: sum("clientErrors") },
  };
}
