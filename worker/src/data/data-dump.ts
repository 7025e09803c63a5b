import {
  describeValue,
  encodeValue,
  isIsoDateTime,
  valueProblem,
  type DataRow,
  type StoredValue,
} from "./column-values";
import { decodeRow, type CompiledSchema, type CompiledTable } from "./compiled-schema";
import { isPlainObject } from "./list-options";
import { DataError } from "./result";
import { quoteName } from "./sql-layout";
import type { DataDump, DumpLoaded } from "./store-types";

/**
 * An environment's rows as plain JSON, and loading them into another database: the first
 * publish's "copy preview data to live", a duplicate's data, an export's `data.json` and
 * its import. Rows keep their ids, so rows that point at each other by id still do.
 */

/** The format marker of a dump; an import of anything else is refused. */
export const DUMP_FORMAT = "kiln-data/1";
/** A dump holds at most this many rows in all (it travels whole over RPC and in a zip)… */
export const MAX_DUMP_ROWS = 50_000;
/** …and at most this much JSON, well under what one Workers RPC call carries. */
const MAX_DUMP_BYTES = 16 * 1024 * 1024;

/** Every row of every declared table, decoded as the app reads them, in id order. */
export function dumpTables(sql: SqlStorage, schema: CompiledSchema): DataDump {
  const tables: Record<string, DataRow[]> = {};
  let total = 0;
  let bytes = 0;
  for (const table of schema.values()) {
    const rows: DataRow[] = [];
    for (const row of sql.exec(`SELECT * FROM ${table.sql} ORDER BY id`)) {
      const decoded = decodeRow(table, row);
      total += 1;
      bytes += JSON.stringify(decoded).length;
      if (total > MAX_DUMP_ROWS || bytes > MAX_DUMP_BYTES) {
        throw new DataError(
          "invalid",
          `This database holds more than Kiln copies or exports in one go (${MAX_DUMP_ROWS.toLocaleString("en")} rows or ${MAX_DUMP_BYTES / 1024 / 1024} MB); export its tables as CSV from the Data tab instead.`,
        );
      }
      rows.push(decoded);
    }
    tables[table.name] = rows;
  }
  return { format: DUMP_FORMAT, tables };
}

/**
 * Writes a dump's rows into this database's tables, checked as any write is. Refuses (writing
 * nothing: the caller runs it in one transaction) when a table it fills already has rows, so
 * loading twice never writes twice. Tables and columns this schema lacks are skipped and named.
 */
export function loadTables(sql: SqlStorage, schema: CompiledSchema, input: unknown): DumpLoaded {
  const dump = readDump(input);
  const loaded: DumpLoaded = { tables: [], skippedTables: [], skippedColumns: [] };
  for (const [name, rows] of Object.entries(dump.tables)) {
    const table = schema.get(name);
    if (!table) {
      if (rows.length > 0) loaded.skippedTables.push(name);
      continue;
    }
    if (rows.length === 0) continue;
    const existing = sql.exec<{ n: number }>(table.countAll).one().n;
    if (existing > 0) {
      throw new DataError(
        "invalid",
        `Table '${name}' already has ${existing} row${existing === 1 ? "" : "s"}, so nothing was copied into it: data is only loaded into empty tables.`,
      );
    }
    const ids = new Set<number>();
    for (const [index, row] of rows.entries()) {
      const { id, statement, values, unknown } = rowInsert(table, row, index);
      if (ids.has(id))
        throw new DataError("invalid", `Row ${index + 1} of '${name}' repeats id ${id}; each row needs its own.`);
      ids.add(id);
      sql.exec(statement, ...values);
      for (const column of unknown)
        if (!loaded.skippedColumns.includes(`${name}.${column}`)) loaded.skippedColumns.push(`${name}.${column}`);
    }
    loaded.tables.push({ name, rows: rows.length });
  }
  return loaded;
}

function readDump(input: unknown): { tables: Record<string, unknown[]> } {
  if (!isPlainObject(input) || input.format !== DUMP_FORMAT || !isPlainObject(input.tables)) {
    throw new DataError("invalid", `The data is not a Kiln data export (its "format" must be "${DUMP_FORMAT}").`);
  }
  const tables: Record<string, unknown[]> = {};
  let total = 0;
  for (const [name, rows] of Object.entries(input.tables)) {
    if (!Array.isArray(rows)) throw new DataError("invalid", `The rows of table '${name}' must be a list.`);
    total += rows.length;
    tables[name] = rows;
  }
  if (total > MAX_DUMP_ROWS)
    throw new DataError("invalid", `The data has ${total} rows; Kiln loads at most ${MAX_DUMP_ROWS} in one go.`);
  return { tables };
}

interface RowInsert {
  id: number;
  statement: string;
  values: StoredValue[];
  /** Columns of the row this table does not declare. */
  unknown: string[];
}

function rowInsert(table: CompiledTable, input: unknown, index: number): RowInsert {
  const where = `row ${index + 1} of '${table.name}'`;
  if (!isPlainObject(input)) throw new DataError("invalid", `The data's ${where} is not an object of column values.`);
  const id = input.id;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1)
    throw new DataError("invalid", `The data's ${where} needs a positive whole-number id, got ${describeValue(id)}.`);
  const names = ["id", "created_at", "updated_at"];
  const values: StoredValue[] = [id, timestamp(input.created_at, where), timestamp(input.updated_at, where)];
  for (const [name, column] of Object.entries(table.columns)) {
    const value = input[name] ?? column.default ?? null;
    if (value === null) {
      if (!column.optional)
        throw new DataError("invalid", `The data's ${where} has no '${name}', which the table requires.`);
    } else {
      const problem = valueProblem(column.type, value);
      if (problem) throw new DataError("invalid", `Column '${name}' in the data's ${where} ${problem}.`);
    }
    names.push(name);
    values.push(value === null ? null : encodeValue(column.type, value));
  }
  const unknown = Object.keys(input).filter((name) => !names.includes(name));
  const statement = `INSERT INTO ${table.sql} (${names.map(quoteName).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
  return { id, statement, values, unknown };
}

function timestamp(value: unknown, where: string): string {
  if (value === undefined || value === null) return new Date().toISOString();
  if (typeof value === "string" && isIsoDateTime(value)) return value;
  throw new DataError(
    "invalid",
    `The data's ${where} has a timestamp that is not a date and time: ${describeValue(value)}.`,
  );
}
