import type { Environment } from "../core/env";
import type { RequestEntry, RequestKind } from "../core/api-shapes/requests";
import { type NewLogEntry, logStatements } from "./log-store";
import { isRequestTally, type NewRequestEntry, type RequestTally } from "./request-records";
import { tallyStatements } from "./request-minutes";

/** Requests kept per app; older ones are pruned as new ones arrive (as `MAX_LOGS_PER_APP` bounds the logs). */
export const MAX_REQUESTS_PER_APP = 10_000;

/** The statements writing request rows and pruning each app's oldest rows beyond the bound. */
function requestStatements(db: D1Database, entries: NewRequestEntry[]): D1PreparedStatement[] {
  if (entries.length === 0) return [];
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
  return statements;
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

/** What app isolates' tails produce: log lines, request-log rows (every error and a sample) and request counts. */
export type TailRecord = NewLogEntry | NewRequestEntry | RequestTally;

/**
 * Stores what tails produced, in one call of the runner's batch: log lines, request rows and counts go to their
 * own tables (each bounded per app), so the runner ships all three with one call per batch.
 */
export async function storeTailRecords(db: D1Database, records: TailRecord[]): Promise<void> {
  const requests: NewRequestEntry[] = [];
  const logs: NewLogEntry[] = [];
  const tallies: RequestTally[] = [];
  for (const record of records) {
    if (isRequestTally(record)) tallies.push(record);
    else if ("method" in record) requests.push(record);
    else logs.push(record);
  }
  // One transaction: a batch the runner sends again after a failure is then written once, not in part twice.
  const statements = [...logStatements(db, logs), ...requestStatements(db, requests), ...tallyStatements(db, tallies)];
  if (statements.length > 0) await db.batch(statements);
}
