import type { Environment } from "../core/env";
import type { RequestBucket, RequestEntry, RequestKind, RequestSummary } from "../core/api-shapes/requests";
import { type NewLogEntry, appendLogs } from "./log-store";

/** A request-log row as it is written (from the tail: `trace-to-requests.ts`). */
export type NewRequestEntry = Omit<RequestEntry, "id"> & { appId: string };

/** Requests kept per app; older ones are pruned as new ones arrive (as `MAX_LOGS_PER_APP` bounds the logs). */
export const MAX_REQUESTS_PER_APP = 10_000;

/** Most buckets a chart may ask for (a day by minute would be 1,440: too many points for a small chart). */
export const MAX_BUCKETS = 240;

/** Writes request rows in one batch and prunes each app's oldest rows beyond the bound. */
export async function appendRequests(db: D1Database, entries: NewRequestEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const insert = db.prepare(
    `INSERT INTO app_requests (app_id, environment, version, request_id, kind, method, path, status, outcome, duration_ms, timestamp)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const statements = entries.map((e) =>
    insert.bind(
      e.appId,
      e.environment,
      e.version,
      e.requestId,
      e.kind,
      e.method,
      e.path,
      e.status,
      e.outcome,
      e.durationMs,
      e.timestamp,
    ),
  );
  for (const appId of new Set(entries.map((e) => e.appId))) {
    statements.push(
      db
        .prepare(
          "DELETE FROM app_requests WHERE app_id = ?1 AND id <= (SELECT id FROM app_requests WHERE app_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
        )
        .bind(appId, MAX_REQUESTS_PER_APP),
    );
  }
  await db.batch(statements);
}

/** Filters of the request log; `from`/`to` are ISO times (to exclusive). */
export interface RequestQuery {
  environment?: Environment | undefined;
  kind?: RequestKind | undefined;
  /** Only answers with at least this status (500: server errors, and requests that got no answer). */
  minStatus?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Only rows with an id below this (paging back). */
  before?: number | undefined;
  limit: number;
}

/** An app's requests, newest first, with the cursor of the next page. */
export async function listRequests(
  db: D1Database,
  appId: string,
  query: RequestQuery,
): Promise<{ requests: RequestEntry[]; nextBefore: number | null }> {
  const where = ["app_id = ?"];
  const params: (string | number)[] = [appId];
  const filter = (clause: string, value: string | number | undefined) => {
    if (value === undefined) return;
    where.push(clause);
    params.push(value);
  };
  filter("environment = ?", query.environment);
  filter("kind = ?", query.kind);
  filter("(status IS NULL OR status >= ?)", query.minStatus);
  filter("timestamp >= ?", query.from);
  filter("timestamp < ?", query.to);
  filter("id < ?", query.before);
  params.push(query.limit + 1);
  const { results } = await db
    .prepare(
      `SELECT id, timestamp, environment, version, request_id AS requestId, kind, method, path, status, outcome,
         duration_ms AS durationMs
       FROM app_requests WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ?`,
    )
    .bind(...params)
    .all<RequestEntry>();
  const more = results.length > query.limit;
  const requests = more ? results.slice(0, query.limit) : results;
  return { requests, nextBefore: more ? (requests.at(-1)?.id ?? null) : null };
}

/**
 * Requests, server errors (5xx, or no answer at all) and client errors (4xx) per bucket from `from` to `to`,
 * every bucket present so a chart needs no gaps filled. One grouped query, whatever the traffic.
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
      `SELECT CAST((CAST(strftime('%s', timestamp) AS INTEGER) - ?1) / ?2 AS INTEGER) AS bucket, COUNT(*) AS requests,
         SUM(status IS NULL OR status >= 500) AS serverErrors, SUM(status >= 400 AND status < 500) AS clientErrors
       FROM app_requests
       WHERE app_id = ?3 AND timestamp >= ?4 AND timestamp < ?5 AND (?6 IS NULL OR environment = ?6)
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

/** What an app isolate's tail produces: log lines, and one request-log row per HTTP request. */
export type TailRecord = NewLogEntry | NewRequestEntry;

/** Whether a tail record is a request-log row (log lines have a `level`, requests a `method`). */
export function isRequestRecord(record: TailRecord): record is NewRequestEntry {
  return "method" in record;
}

/**
 * Stores what tails produced, in one call of the runner's batch: log lines and request rows go to their own
 * tables (each bounded per app), so the runner ships both with one call per batch.
 */
export async function storeTailRecords(db: D1Database, records: TailRecord[]): Promise<void> {
  const requests: NewRequestEntry[] = [];
  const logs: NewLogEntry[] = [];
  for (const record of records) {
    if (isRequestRecord(record)) requests.push(record);
    else logs.push(record);
  }
  await Promise.all([appendLogs(db, logs), appendRequests(db, requests)]);
}
