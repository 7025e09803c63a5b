/**
 * Visitors' sessions of one app environment, kept in its own database beside the app's tables, so the runner checks
 * a session with an in-process read. The table's `_kiln` name puts it out of reach of app code (sql-guard.ts), and
 * only the SHA-256 of each session token is stored: the runner that reads it holds nothing a visitor could replay.
 */

/** Kiln's bookkeeping: one row per signed-in visitor session. */
export const VISITOR_SESSIONS_TABLE = "_kiln_visitor_sessions";

/** A signed-in visitor of one app host, as their session holds them. */
export interface Visitor {
  /** Stable per app and email (`vis_…`): what rows are scoped to. */
  id: string;
  email: string;
  /** Roles from the app's own declared roles; the app's owner also has `owner`. */
  roles: string[];
}

/** Which sessions to end: one (by its token's hash), all of one email, all but those with a role, or all. */
export type SessionFilter = { tokenHash: string } | { email: string } | { allBut: string } | { all: true };

function ensureTable(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS ${VISITOR_SESSIONS_TABLE} (
    token_hash TEXT PRIMARY KEY,
    visitor_id TEXT NOT NULL,
    email TEXT NOT NULL,
    roles_json TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  )`);
  sql.exec(`CREATE INDEX IF NOT EXISTS ${VISITOR_SESSIONS_TABLE}_email ON ${VISITOR_SESSIONS_TABLE}(email)`);
}

function hasTable(sql: SqlStorage): boolean {
  return (
    sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", VISITOR_SESSIONS_TABLE).toArray().length >
    0
  );
}

/**
 * Stores a new session; `expiresAt` in milliseconds since the epoch. Lapsed sessions go at the same time: each
 * load of the workspace's preview frame signs its owner in afresh, so they would otherwise pile up.
 */
export function startSession(
  sql: SqlStorage,
  tokenHash: string,
  visitor: Visitor,
  expiresAt: number,
  now = Date.now(),
): void {
  ensureTable(sql);
  sql.exec(`DELETE FROM ${VISITOR_SESSIONS_TABLE} WHERE expires_at <= ?`, now);
  sql.exec(
    `INSERT OR REPLACE INTO ${VISITOR_SESSIONS_TABLE} (token_hash, visitor_id, email, roles_json, expires_at) VALUES (?, ?, ?, ?, ?)`,
    tokenHash,
    visitor.id,
    visitor.email,
    JSON.stringify(visitor.roles),
    expiresAt,
  );
}

/** The visitor of a live session (an expired one is removed and answers null). */
export function findSession(sql: SqlStorage, tokenHash: string, now: number): Visitor | null {
  if (!hasTable(sql)) return null;
  const row = sql
    .exec<{ visitor_id: string; email: string; roles_json: string; expires_at: number }>(
      `SELECT visitor_id, email, roles_json, expires_at FROM ${VISITOR_SESSIONS_TABLE} WHERE token_hash = ?`,
      tokenHash,
    )
    .toArray()[0];
  if (!row) return null;
  if (row.expires_at <= now) {
    sql.exec(`DELETE FROM ${VISITOR_SESSIONS_TABLE} WHERE token_hash = ?`, tokenHash);
    return null;
  }
  return { id: row.visitor_id, email: row.email, roles: JSON.parse(row.roles_json) as string[] };
}

/** Ends the sessions `filter` names; answers how many ended. */
export function endSessions(sql: SqlStorage, filter: SessionFilter): number {
  if (!hasTable(sql)) return 0;
  const cursor =
    "tokenHash" in filter
      ? sql.exec(`DELETE FROM ${VISITOR_SESSIONS_TABLE} WHERE token_hash = ?`, filter.tokenHash)
      : "email" in filter
        ? sql.exec(`DELETE FROM ${VISITOR_SESSIONS_TABLE} WHERE email = ?`, filter.email)
        : "allBut" in filter
          ? sql.exec(
              `DELETE FROM ${VISITOR_SESSIONS_TABLE} WHERE NOT EXISTS (SELECT 1 FROM json_each(roles_json) WHERE value = ?)`,
              filter.allBut,
            )
          : sql.exec(`DELETE FROM ${VISITOR_SESSIONS_TABLE}`);
  return cursor.rowsWritten;
}

/** Sets the roles of every session of `email` (the owner changed them): effective on the visitor's next request. */
export function setSessionRoles(sql: SqlStorage, email: string, roles: string[]): void {
  if (!hasTable(sql)) return;
  sql.exec(`UPDATE ${VISITOR_SESSIONS_TABLE} SET roles_json = ? WHERE email = ?`, JSON.stringify(roles), email);
}
