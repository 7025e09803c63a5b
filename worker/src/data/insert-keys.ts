import { describeValue, type DataRow } from "./column-values";
import type { CompiledTable } from "./compiled-schema";
import { isPlainObject } from "./list-options";
import { DataError } from "./result";
import { getRow, insertRow, requireId } from "./row-operations";
import { INSERT_KEYS_DDL, INSERT_KEYS_TABLE, tableExists } from "./sql-layout";

/**
 * Idempotent inserts: `insert(table, row, { key })` writes once per table and key; a repeat writes
 * nothing and returns the row the first one wrote. Automations pass a key derived from their run,
 * so an attempt retried after the runner died mid-run does not write its rows twice.
 *
 * The key is written with its row in one transaction (the caller's `transactionSync`), and kept
 * for 7 days from that insert even if the row is deleted: a retry then gets back the row as first
 * written and recreates nothing, so a run writes exactly once. After 7 days the key is forgotten,
 * which keeps its storage bounded; retries (minutes) and webhook redeliveries (days) come sooner.
 */

/** Longest key: an automation run's `idempotencyKey` (up to ~300 characters) plus a suffix fits. */
export const MAX_INSERT_KEY_LENGTH = 500;

/** How long a key is remembered after its first insert (see above). */
export const INSERT_KEY_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const KEY_HINT = 'text that is the same on every retry, like run.idempotencyKey + ":invoice"';

/** The key in `insert()`'s options, or null without options; anything else is refused in plain words. */
export function insertKey(options: unknown): string | null {
  if (options === undefined || options === null) return null;
  if (!isPlainObject(options)) {
    throw new DataError(
      "invalid",
      `insert()'s options must be an object like { key: "..." }; got ${describeValue(options)}.`,
    );
  }
  const unknown = Object.keys(options).find((name) => name !== "key");
  if (unknown !== undefined) throw new DataError("invalid", `Unknown insert option '${unknown}'; the only one is key.`);
  const key = options.key;
  if (typeof key !== "string")
    throw new DataError("invalid", `An insert key must be ${KEY_HINT}; got ${describeValue(key)}.`);
  if (key.trim() === "") throw new DataError("invalid", `An insert key can't be empty; use ${KEY_HINT}.`);
  if (key.length > MAX_INSERT_KEY_LENGTH) {
    throw new DataError(
      "invalid",
      `An insert key can be at most ${MAX_INSERT_KEY_LENGTH} characters; this one has ${key.length}.`,
    );
  }
  return key;
}

/** Creates the keys table if needed; the store runs it once per instance, inside the insert's transaction. */
export function ensureInsertKeys(sql: SqlStorage): void {
  for (const statement of INSERT_KEYS_DDL) sql.exec(statement);
}

/**
 * Inserts `input` unless `key` was used for this table in the last 7 days; then returns that row
 * as it is now (or as first written, if it was deleted since). Run it inside a transaction.
 */
export function insertRowOnce(sql: SqlStorage, table: CompiledTable, input: unknown, key: string, now: Date): DataRow {
  const cutoff = new Date(now.getTime() - INSERT_KEY_LIFETIME_MS).toISOString();
  const known = sql
    .exec<{ row_id: number; row: string }>(
      `SELECT row_id, row FROM ${INSERT_KEYS_TABLE} WHERE table_name = ? AND key = ? AND created_at >= ?`,
      table.name,
      key,
      cutoff,
    )
    .toArray()[0];
  // `row` is written only below, from a DataRow, so the cast is safe.
  if (known) return getRow(sql, table, known.row_id) ?? (JSON.parse(known.row) as DataRow);
  sql.exec(`DELETE FROM ${INSERT_KEYS_TABLE} WHERE created_at < ?`, cutoff);
  const row = insertRow(sql, table, input);
  sql.exec(
    `INSERT INTO ${INSERT_KEYS_TABLE} (table_name, key, row_id, row, created_at) VALUES (?, ?, ?, ?, ?)`,
    table.name,
    key,
    requireId(row.id),
    JSON.stringify(row),
    now.toISOString(),
  );
  return row;
}

/** Forgets the keys of a dropped table, so a table made later under its name starts with none. */
export function forgetTableKeys(sql: SqlStorage, table: string): void {
  if (tableExists(sql, INSERT_KEYS_TABLE)) sql.exec(`DELETE FROM ${INSERT_KEYS_TABLE} WHERE table_name = ?`, table);
}

/** Moves the keys of a renamed table to its new name, so retries keep finding their rows. */
export function renameTableKeys(sql: SqlStorage, from: string, to: string): void {
  if (tableExists(sql, INSERT_KEYS_TABLE))
    sql.exec(`UPDATE ${INSERT_KEYS_TABLE} SET table_name = ? WHERE table_name = ?`, to, from);
}

/** True when `key` wrote a row into `table` within the keys' lifetime (a CSV import's preview says "already imported"). */
export function insertKeyUsed(sql: SqlStorage, table: string, key: string, now: Date): boolean {
  if (!tableExists(sql, INSERT_KEYS_TABLE)) return false;
  const cutoff = new Date(now.getTime() - INSERT_KEY_LIFETIME_MS).toISOString();
  return (
    sql
      .exec(
        `SELECT 1 AS found FROM ${INSERT_KEYS_TABLE} WHERE table_name = ? AND key = ? AND created_at >= ?`,
        table,
        key,
        cutoff,
      )
      .toArray().length > 0
  );
}
