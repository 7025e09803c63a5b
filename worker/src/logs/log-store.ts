import type { Environment } from "../core/env";
import { nowIso } from "../core/ids";
import type { LogLevel, LogEntry } from "../core/api-shapes/logs";

/** A log line as it is written. */
export interface NewLogEntry {
  appId: string;
  environment: Environment;
  version: string | null;
  requestId: string | null;
  level: LogLevel;
  message: string;
  /** ISO time; defaults to now. */
  timestamp?: string;
}

/** Lines kept per app; older ones are pruned as new ones arrive. */
export const MAX_LOGS_PER_APP = 5_000;

/** Writes log lines in one batch and prunes the app's oldest lines beyond the bound. */
export async function appendLogs(db: D1Database, entries: NewLogEntry[]): Promise<void> {
  if (entries.length > 0) await db.batch(logStatements(db, entries));
}

/** The statements of `appendLogs`, for a caller that writes them in one transaction with others. */
export function logStatements(db: D1Database, entries: NewLogEntry[]): D1PreparedStatement[] {
  if (entries.length === 0) return [];
  const insert = db.prepare(
    "INSERT INTO app_logs (app_id, environment, version, request_id, level, message, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const statements = entries.map((e) =>
    insert.bind(e.appId, e.environment, e.version, e.requestId, e.level, e.message, e.timestamp ?? nowIso()),
  );
  const appIds = [...new Set(entries.map((e) => e.appId))];
  for (const appId of appIds) {
    statements.push(
      db
        .prepare(
          "DELETE FROM app_logs WHERE app_id = ?1 AND id <= (SELECT id FROM app_logs WHERE app_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
        )
        .bind(appId, MAX_LOGS_PER_APP),
    );
  }
  return statements;
}

/** How severe each level is: `info` and `log` are the same console severity. */
const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, log: 1, warn: 2, error: 3 };

/** The levels at least as severe as `level` ("warn" → warn and error). */
export function levelsFrom(level: LogLevel): LogLevel[] {
  return (Object.keys(LEVEL_RANK) as LogLevel[]).filter((candidate) => LEVEL_RANK[candidate] >= LEVEL_RANK[level]);
}

/** Filters for reading an app's logs, newest first. */
export interface LogQuery {
  environment?: Environment;
  requestId?: string;
  /** Exactly this level. */
  level?: LogLevel;
  /** This level or anything more severe. */
  minLevel?: LogLevel;
  /** Only lines with an id below this (for paging back in time). */
  before?: number;
  /**
   * Only lines with an id above this (a live tail's cursor). The `limit` lines right after the
   * cursor are returned (still newest first), so a tail that reads them all never skips a line.
   */
  after?: number;
  limit: number;
}

/** An app's log lines, newest first. */
export async function listLogs(db: D1Database, appId: string, query: LogQuery): Promise<LogEntry[]> {
  const where = ["app_id = ?"];
  const params: (string | number)[] = [appId];
  const filter = (clause: string, value: string | number) => {
    where.push(clause);
    params.push(value);
  };
  if (query.environment) filter("environment = ?", query.environment);
  if (query.requestId) filter("request_id = ?", query.requestId);
  if (query.level) filter("level = ?", query.level);
  if (query.minLevel) {
    const levels = levelsFrom(query.minLevel);
    where.push(`level IN (${levels.map(() => "?").join(", ")})`);
    params.push(...levels);
  }
  if (query.before) filter("id < ?", query.before);
  if (query.after !== undefined) filter("id > ?", query.after);
  params.push(query.limit);
  // After a cursor, take the oldest lines first so nothing between the cursor and them is skipped.
  const direction = query.after !== undefined ? "ASC" : "DESC";
  const { results } = await db
    .prepare(
      `SELECT id, timestamp, level, message, request_id AS requestId, environment, version FROM app_logs WHERE ${where.join(" AND ")} ORDER BY id ${direction} LIMIT ?`,
    )
    .bind(...params)
    .all<LogEntry>();
  return direction === "ASC" ? results.reverse() : results;
}
