import { describeValue, encodeValue, valueProblem, type DataRow, type StoredValue } from "./column-values";
import { columnList, decodeRow, type CompiledTable } from "./compiled-schema";
import { buildListQuery, buildWhere, isPlainObject } from "./list-options";
import { DataError } from "./result";
import { SYSTEM_COLUMNS } from "./schema";
import { NOW_ISO, quoteName } from "./sql-layout";

/**
 * The row-level operations behind `AppDatabase`: every value is checked against the
 * declared column type before it reaches SQLite, and every row read is decoded back.
 * Functions take the compiled table so the hot path does no schema work.
 */

/** One row by id, or null when there is none. */
export function getRow(sql: SqlStorage, table: CompiledTable, id: unknown): DataRow | null {
  const row = sql.exec(table.selectById, requireId(id)).toArray()[0];
  return row ? decodeRow(table, row) : null;
}

/** Inserts a row after checking every value; returns it as stored (with id and timestamps). */
export function insertRow(sql: SqlStorage, table: CompiledTable, input: unknown): DataRow {
  const { names, values } = prepareWrite(table, input, "insert");
  const statement =
    names.length === 0
      ? `INSERT INTO ${table.sql} DEFAULT VALUES RETURNING *`
      : `INSERT INTO ${table.sql} (${names.map(quoteName).join(", ")}) VALUES (${names.map(() => "?").join(", ")}) RETURNING *`;
  return decodeRow(table, sql.exec(statement, ...values).one());
}

/** Changes the given columns of one row and bumps `updated_at`; null when the row does not exist. */
export function updateRow(sql: SqlStorage, table: CompiledTable, id: unknown, patch: unknown): DataRow | null {
  const rowId = requireId(id);
  const { names, values } = prepareWrite(table, patch, "update");
  if (names.length === 0) return getRow(sql, table, rowId);
  const assignments = names.map((name) => `${quoteName(name)} = ?`).join(", ");
  const row = sql
    .exec(`UPDATE ${table.sql} SET ${assignments}, updated_at = ${NOW_ISO} WHERE id = ? RETURNING *`, ...values, rowId)
    .toArray()[0];
  return row ? decodeRow(table, row) : null;
}

/** Deletes one row; false when there was no such row. */
export function deleteRow(sql: SqlStorage, table: CompiledTable, id: unknown): boolean {
  const cursor = sql.exec(table.deleteById, requireId(id));
  cursor.toArray();
  return cursor.rowsWritten > 0;
}

/** Counts rows matching `where` (equality per column). */
export function countRows(sql: SqlStorage, table: CompiledTable, where: unknown): number {
  const clause = buildWhere(table, where);
  return sql.exec<{ n: number }>(table.countAll + clause.sql, ...clause.params).one().n;
}

/** Rows matching `options.where`, ordered (id by default) and paged (100 by default, at most 1000). */
export function listRows(sql: SqlStorage, table: CompiledTable, options: unknown): DataRow[] {
  const query = buildListQuery(table, options);
  const rows = sql
    .exec(`SELECT * FROM ${table.sql}${query.where.sql}${query.tail}`, ...query.where.params, ...query.tailParams)
    .toArray();
  return rows.map((row) => decodeRow(table, row));
}

/** Checks that `id` can be a row id; apps often pass ids from URLs as text, so say how to fix it. */
export function requireId(id: unknown): number {
  if (typeof id === "number" && Number.isSafeInteger(id)) return id;
  const hint = typeof id === "string" ? " (convert text from a URL with Number(...))" : "";
  throw new DataError("invalid", `A row id must be a whole number, got ${describeValue(id)}${hint}.`);
}

interface PreparedWrite {
  names: string[];
  values: StoredValue[];
}

function prepareWrite(table: CompiledTable, input: unknown, mode: "insert" | "update"): PreparedWrite {
  if (!isPlainObject(input)) {
    const what = mode === "insert" ? "A new row" : "The changes";
    throw new DataError(
      "invalid",
      `${what} for '${table.name}' must be an object of column values, like { ${table.columnNames[0] ?? "name"}: ... }; got ${describeValue(input)}.`,
    );
  }
  const names: string[] = [];
  const values: StoredValue[] = [];
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const column = Object.hasOwn(table.columns, name) ? table.columns[name] : undefined;
    if (!column) {
      if ((SYSTEM_COLUMNS as readonly string[]).includes(name)) {
        throw new DataError("invalid", `Column '${name}' of '${table.name}' is set by Kiln; leave it out.`);
      }
      throw new DataError("invalid", `Table '${table.name}' has no column '${name}'; ${columnList(table)}.`);
    }
    if (value === null) {
      if (!column.optional)
        throw new DataError("invalid", `Column '${name}' of '${table.name}' is required, so it can't be null.`);
    } else {
      const problem = valueProblem(column.type, value);
      if (problem) throw new DataError("invalid", `Column '${name}' of '${table.name}' ${problem}.`);
    }
    names.push(name);
    values.push(value === null ? null : encodeValue(column.type, value));
  }
  if (mode === "insert") addDefaultsAndCheckRequired(table, input, names, values);
  return { names, values };
}

function addDefaultsAndCheckRequired(
  table: CompiledTable,
  input: Record<string, unknown>,
  names: string[],
  values: StoredValue[],
): void {
  const missing: string[] = [];
  for (const [name, column] of Object.entries(table.columns)) {
    if (input[name] !== undefined) continue;
    if (column.default !== null) {
      names.push(name);
      values.push(encodeValue(column.type, column.default));
    } else if (!column.optional) {
      missing.push(name);
    }
  }
  if (missing.length === 1)
    throw new DataError("invalid", `Column '${missing[0]}' of '${table.name}' is required; give it a value.`);
  if (missing.length > 1) {
    throw new DataError(
      "invalid",
      `Columns ${missing.map((name) => `'${name}'`).join(", ")} of '${table.name}' are required; give them values.`,
    );
  }
}
