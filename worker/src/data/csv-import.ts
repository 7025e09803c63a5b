import type { ImportChange, ImportPreview, ImportRefusal } from "../core/api-shapes/data";
import { columnLabel, namesColumn } from "../core/column-label";
import type { DataRow, DataValue } from "./column-values";
import { columnList, type CompiledTable } from "./compiled-schema";
import { parseCsv, type CsvRecord } from "./csv-parse";
import { ensureInsertKeys, insertKeyUsed, insertRowOnce } from "./insert-keys";
import { checkOwnerRow } from "./owner-values";
import { DataError } from "./result";
import { getRow, updateRow } from "./row-operations";

/**
 * CSV import for the owner: the file is read, its headings matched to columns (by name or label), and every record
 * checked as an owner's write is; a record with an `id` changes that row, one without adds a row. The plan is shown
 * first; applying it writes everything in one transaction or nothing, and each added record carries an insert key
 * made of the file's hash and its line, so confirming the same file twice adds its rows once.
 */

/** Largest CSV one import takes, in characters (the API says so before reading more). */
export const MAX_IMPORT_CHARS = 2 * 1024 * 1024;

/** How many changes the preview lists (the counts cover all of them). */
export const MAX_PREVIEW_CHANGES = 50;

/** What one record will do. */
interface PlannedRecord {
  line: number;
  kind: "add" | "update" | "unchanged" | "already";
  id: number | null;
  values: Record<string, DataValue>;
  before: DataRow | null;
  key: string;
}

/** The whole plan: the preview's content plus what applying it writes. */
export interface ImportPlan {
  headings: { heading: string; column: string | null }[];
  ignored: string[];
  records: PlannedRecord[];
  refused: ImportRefusal[];
}

/** Reads `csv` and decides what each record does, changing nothing. `hash` identifies the file (its SHA-256). */
export function planImport(sql: SqlStorage, table: CompiledTable, csv: string, hash: string, now: Date): ImportPlan {
  if (csv.length > MAX_IMPORT_CHARS) throw tooLarge(csv.length);
  const [header, ...rows] = parseCsv(csv);
  if (!header) throw new DataError("invalid", "The CSV is empty: it needs a heading row, then one row per line.");
  const { headings, ignored, idIndex } = matchHeadings(table, header.fields);
  const plan: ImportPlan = { headings, ignored, records: [], refused: [] };
  const seenIds = new Set<number>();
  for (const record of rows) {
    const outcome = planRecord(sql, table, record, headings, idIndex, seenIds, `import:${hash}:${record.line}`, now);
    if ("reason" in outcome) plan.refused.push({ line: record.line, reason: outcome.reason });
    else plan.records.push(outcome);
  }
  return plan;
}

/** Writes the plan in the caller's transaction; refuses (writing nothing) while any record is refused. */
export function applyImport(sql: SqlStorage, table: CompiledTable, plan: ImportPlan, now: Date): void {
  if (plan.refused.length > 0) {
    const count = plan.refused.length === 1 ? "1 row" : `${plan.refused.length} rows`;
    throw new DataError(
      "invalid",
      `${count} of the CSV can't be imported (see why in the preview), so nothing was changed. Fix or remove them in the file and upload it again.`,
    );
  }
  ensureInsertKeys(sql);
  for (const record of plan.records) {
    if (record.kind === "add") insertRowOnce(sql, table, record.values, record.key, now);
    else if (record.kind === "update") updateRow(sql, table, record.id, record.values);
  }
}

/** The preview's list of changes (the first `MAX_PREVIEW_CHANGES`). */
export function previewChanges(plan: ImportPlan): PlannedChange[] {
  return plan.records
    .filter((record) => record.kind === "add" || record.kind === "update")
    .slice(0, MAX_PREVIEW_CHANGES)
    .map((record) => ({
      line: record.line,
      kind: record.kind === "add" ? "add" : "update",
      id: record.id,
      values: record.values,
      before: record.before,
    }));
}

/** How many records do each thing. */
export function countKinds(plan: ImportPlan): Record<PlannedRecord["kind"], number> {
  const counts = { add: 0, update: 0, unchanged: 0, already: 0 };
  for (const record of plan.records) counts[record.kind]++;
  return counts;
}

function matchHeadings(table: CompiledTable, fields: string[]) {
  const headings: { heading: string; column: string | null }[] = [];
  const ignored: string[] = [];
  let idIndex = -1;
  for (const [index, heading] of fields.entries()) {
    const column = table.columnNames.find((name) => namesColumn(heading, name)) ?? null;
    const system = ["id", "created_at", "updated_at"].find((name) => namesColumn(heading, name));
    const taken = column !== null && headings.some((earlier) => earlier.column === column);
    if (taken || (system === "id" && idIndex >= 0))
      throw new DataError("invalid", `Two headings of the CSV name the column ${columnLabel(column ?? "id")}.`);
    if (system === "id") idIndex = index;
    else if (system) ignored.push(`"${heading}": set by Kiln, so it is not imported`);
    else if (column === null && heading.trim() !== "") ignored.push(`"${heading}": no column of '${table.name}'`);
    headings.push({ heading, column: system === "id" ? "id" : column });
  }
  if (!headings.some((entry) => entry.column !== null && entry.column !== "id"))
    throw new DataError(
      "invalid",
      `None of the CSV's headings names a column of '${table.name}'; the first row must hold column names (${columnList(table)}).`,
    );
  return { headings, ignored, idIndex };
}

function planRecord(
  sql: SqlStorage,
  table: CompiledTable,
  record: CsvRecord,
  headings: ImportPlan["headings"],
  idIndex: number,
  seenIds: Set<number>,
  key: string,
  now: Date,
): PlannedRecord | { reason: string } {
  if (record.fields.slice(headings.length).some((field) => field.trim() !== ""))
    return { reason: `It has ${record.fields.length} values, but the heading row names ${headings.length} columns.` };
  const cells: Record<string, string> = {};
  for (const [index, { column }] of headings.entries())
    if (column !== null && column !== "id") cells[column] = unprotect(record.fields[index] ?? "");
  const idText = idIndex >= 0 ? (record.fields[idIndex] ?? "").trim() : "";
  if (idText === "") {
    const { row, problems } = checkOwnerRow(table, cells, "insert", "text");
    if (problems.length > 0) return { reason: problems.join(" ") };
    const kind = insertKeyUsed(sql, table.name, key, now) ? "already" : "add";
    return { line: record.line, kind, id: null, values: row, before: null, key };
  }
  const id = Number(idText);
  if (!/^\d+$/.test(idText) || !Number.isSafeInteger(id) || id <= 0)
    return { reason: `ID must be a whole number (or empty to add a new row); "${idText}" isn't one.` };
  if (seenIds.has(id)) return { reason: `ID ${id} appears twice in the file; keep one of those rows.` };
  seenIds.add(id);
  const existing = getRow(sql, table, id);
  if (!existing)
    return { reason: `'${table.name}' has no row with ID ${id} to update; leave ID empty to add it as a new row.` };
  const { row, problems } = checkOwnerRow(table, cells, "update", "text");
  if (problems.length > 0) return { reason: problems.join(" ") };
  const values: Record<string, DataValue> = {};
  const before: DataRow = {};
  for (const [name, value] of Object.entries(row)) {
    if (JSON.stringify(existing[name] ?? null) === JSON.stringify(value)) continue;
    values[name] = value;
    before[name] = existing[name] ?? null;
  }
  const kind = Object.keys(values).length === 0 ? "unchanged" : "update";
  return { line: record.line, kind, id, values, before, key };
}

/** The download writes `'=…` for text a spreadsheet would run as a formula; importing it gives back the text. */
function unprotect(cell: string): string {
  return cell.length > 1 && cell.startsWith("'") && "=+-@\t\r".includes(cell.charAt(1)) ? cell.slice(1) : cell;
}

function tooLarge(chars: number): DataError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new DataError(
    "invalid",
    `The CSV is too large (${mb(chars)}; at most ${mb(MAX_IMPORT_CHARS)}). Split it into smaller files.`,
  );
}

/** One listed change with the store's row type (plain data for RPC). */
export type PlannedChange = Omit<ImportChange, "values" | "before"> & { values: DataRow; before: DataRow | null };

/** What the store answers: the preview's content without the environment the API adds. */
export type ImportOutcome = Omit<ImportPreview, "environment" | "changes"> & { changes: PlannedChange[] };

/** Plans and (with `apply`, inside `transaction`) applies an import; the plan is read again inside the transaction. */
export function runImport(
  sql: SqlStorage,
  transaction: <T>(operation: () => T) => T,
  table: CompiledTable,
  csv: string,
  hash: string,
  apply: boolean,
): ImportOutcome {
  const now = new Date();
  const plan = apply
    ? transaction(() => {
        const planned = planImport(sql, table, csv, hash, now);
        applyImport(sql, table, planned, now);
        return planned;
      })
    : planImport(sql, table, csv, hash, now);
  const counts = countKinds(plan);
  return {
    table: table.name,
    applied: apply,
    headings: plan.headings,
    ignored: plan.ignored,
    add: counts.add,
    update: counts.update,
    unchanged: counts.unchanged,
    alreadyImported: counts.already,
    refused: plan.refused,
    changes: previewChanges(plan),
  };
}
