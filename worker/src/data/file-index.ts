/**
 * The index of an app environment's stored files (`env.FILES`), kept in its own database beside its tables: the
 * bytes are in R2, but what exists, how large and how much is used is answered here, in one single-threaded object,
 * so a quota check is a read of one row (never a listing of the bucket) and two concurrent uploads cannot both take
 * the last free megabyte. `_kiln` names keep both tables out of reach of app code (sql-guard.ts).
 */

const FILES_TABLE = "_kiln_files";
const RESERVATIONS_TABLE = "_kiln_file_reservations";
/** A reservation whose upload neither committed nor released by then is forgotten (the upload was lost). */
const RESERVATION_MS = 10 * 60 * 1000;

/** One stored file as the index knows it. */
export interface FileEntry {
  name: string;
  size: number;
  contentType: string;
  /** ISO-8601 time of the upload. */
  uploaded: string;
}

/** Limits an upload is checked against; passed by the caller, which owns the numbers (files/file-limits.ts). */
export interface FileQuota {
  maxFileBytes: number;
  maxTotalBytes: number;
  maxFiles: number;
}

/** What an environment's files take: stored plus uploads in flight. */
export interface FileUsage {
  bytes: number;
  files: number;
}

/** Why an upload was refused before any byte was stored. */
export type FileRefusal = { refused: "file_too_large" | "total_too_large" | "too_many_files"; usage: FileUsage };

function ensureTables(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS ${FILES_TABLE} (
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    object_key TEXT NOT NULL
  )`);
  sql.exec(`CREATE TABLE IF NOT EXISTS ${RESERVATIONS_TABLE} (
    token TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  )`);
}

/** Stored bytes and files, with uploads in flight counted as if done (a new name counts as one more file). */
export function fileUsage(sql: SqlStorage, now = Date.now()): FileUsage {
  ensureTables(sql);
  sql.exec(`DELETE FROM ${RESERVATIONS_TABLE} WHERE expires_at <= ?`, now);
  const stored = sql
    .exec<{ bytes: number; files: number }>(
      `SELECT COALESCE(SUM(size), 0) AS bytes, COUNT(*) AS files FROM ${FILES_TABLE}`,
    )
    .one();
  const pending = sql
    .exec<{ bytes: number; files: number }>(
      `SELECT COALESCE(SUM(r.size), 0) AS bytes,
              COUNT(DISTINCT CASE WHEN f.name IS NULL THEN r.name END) AS files
       FROM ${RESERVATIONS_TABLE} r LEFT JOIN ${FILES_TABLE} f ON f.name = r.name`,
    )
    .one();
  return { bytes: stored.bytes + pending.bytes, files: stored.files + pending.files };
}

/**
 * Reserves room for an upload of `size` bytes under `name` (replacing a file of that name frees its size): returns
 * a token to commit or release, or why it does not fit. Synchronous in the object, so concurrent uploads queue here.
 */
export function reserveFile(
  sql: SqlStorage,
  name: string,
  size: number,
  quota: FileQuota,
  token: string,
  now = Date.now(),
): { token: string } | FileRefusal {
  const usage = fileUsage(sql, now);
  if (size > quota.maxFileBytes) return { refused: "file_too_large", usage };
  const existing = sql.exec<{ size: number }>(`SELECT size FROM ${FILES_TABLE} WHERE name = ?`, name).toArray()[0];
  const inFlight = sql
    .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${RESERVATIONS_TABLE} WHERE name = ?`, name)
    .one();
  if (usage.bytes - (existing?.size ?? 0) + size > quota.maxTotalBytes) return { refused: "total_too_large", usage };
  if (!existing && inFlight.n === 0 && usage.files + 1 > quota.maxFiles) return { refused: "too_many_files", usage };
  sql.exec(
    `INSERT INTO ${RESERVATIONS_TABLE} (token, name, size, expires_at) VALUES (?, ?, ?, ?)`,
    token,
    name,
    size,
    now + RESERVATION_MS,
  );
  return { token };
}

/** A committed upload, and the object of the file it replaced (to delete from the bucket), if any. */
export interface FileCommit {
  entry: FileEntry;
  replacedObject: string | null;
}

/**
 * Records a finished upload, stored at `objectKey`, under its reservation: the file's row replaces any earlier one of
 * that name, whose object the caller deletes. The last upload to commit is the file, in the index and the bucket
 * alike. Null: the reservation had lapsed, nothing was recorded, and the caller deletes `objectKey`.
 */
export function commitFile(
  sql: SqlStorage,
  token: string,
  objectKey: string,
  contentType: string,
  uploaded: string,
  now = Date.now(),
): FileCommit | null {
  ensureTables(sql);
  // A lapsed reservation's room may already be counted for another upload: it commits nothing.
  sql.exec(`DELETE FROM ${RESERVATIONS_TABLE} WHERE expires_at <= ?`, now);
  const reservation = sql
    .exec<{ name: string; size: number }>(`SELECT name, size FROM ${RESERVATIONS_TABLE} WHERE token = ?`, token)
    .toArray()[0];
  if (!reservation) return null;
  sql.exec(`DELETE FROM ${RESERVATIONS_TABLE} WHERE token = ?`, token);
  const replaced = fileObject(sql, reservation.name);
  sql.exec(
    `INSERT OR REPLACE INTO ${FILES_TABLE} (name, size, content_type, uploaded_at, object_key) VALUES (?, ?, ?, ?, ?)`,
    reservation.name,
    reservation.size,
    contentType,
    uploaded,
    objectKey,
  );
  return {
    entry: { name: reservation.name, size: reservation.size, contentType, uploaded },
    replacedObject: replaced === objectKey ? null : replaced,
  };
}

/** Gives back the room of an upload that failed. */
export function releaseFile(sql: SqlStorage, token: string): void {
  ensureTables(sql);
  sql.exec(`DELETE FROM ${RESERVATIONS_TABLE} WHERE token = ?`, token);
}

/** Forgets a file; answers the bucket key of its object (for the caller to delete), or null when there was none. */
export function forgetFile(sql: SqlStorage, name: string): string | null {
  ensureTables(sql);
  const objectKey = fileObject(sql, name);
  if (objectKey !== null) sql.exec(`DELETE FROM ${FILES_TABLE} WHERE name = ?`, name);
  return objectKey;
}

/** The bucket key of a file's current object, or null: reads go through here, so they see what the index says. */
export function fileObject(sql: SqlStorage, name: string): string | null {
  ensureTables(sql);
  const row = sql.exec<{ object_key: string }>(`SELECT object_key FROM ${FILES_TABLE} WHERE name = ?`, name).toArray();
  return row[0]?.object_key ?? null;
}

/** How many files are stored (uploads in flight not counted): the total of the owner's paged list. */
export function storedFileCount(sql: SqlStorage): number {
  ensureTables(sql);
  return sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${FILES_TABLE}`).one().n;
}

/** One file's entry, or null. */
export function findFile(sql: SqlStorage, name: string): FileEntry | null {
  ensureTables(sql);
  const row = sql
    .exec<{ name: string; size: number; content_type: string; uploaded_at: string }>(
      `SELECT name, size, content_type, uploaded_at FROM ${FILES_TABLE} WHERE name = ?`,
      name,
    )
    .toArray()[0];
  return row ? { name: row.name, size: row.size, contentType: row.content_type, uploaded: row.uploaded_at } : null;
}

/**
 * Files by name, those starting with `prefix`, at most `limit`, after `after` (apps page by the last name seen) and
 * past `offset` (the owner's numbered pages; at most 10,000 files, so skipping rows stays cheap).
 */
export function listFileEntries(
  sql: SqlStorage,
  options: { prefix?: string; limit: number; after?: string; offset?: number },
): FileEntry[] {
  ensureTables(sql);
  const prefix = options.prefix ?? "";
  return sql
    .exec<{ name: string; size: number; content_type: string; uploaded_at: string }>(
      `SELECT name, size, content_type, uploaded_at FROM ${FILES_TABLE}
       WHERE name >= ? AND instr(name, ?) = 1 AND name > ? ORDER BY name LIMIT ? OFFSET ?`,
      // Characters compared by SQLite itself: a JS length counts UTF-16 units, two for an emoji, one in SQLite.
      prefix,
      prefix,
      options.after ?? "",
      options.limit,
      options.offset ?? 0,
    )
    .toArray()
    .map((row) => ({ name: row.name, size: row.size, contentType: row.content_type, uploaded: row.uploaded_at }));
}
