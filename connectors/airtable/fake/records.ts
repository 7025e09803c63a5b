// Records of the Airtable fake: create, update, replace, upsert, get and
// delete, with Airtable's rules. Every write is all-or-nothing, as in Airtable:
// a refused record leaves the table as it was.
import { cellValue, sameCell } from "./cells.ts";
import { apiError, NOT_FOUND, newId } from "./errors.ts";
import { JSON_READ, type RecordJson, recordJson } from "./record-json.ts";
import { INVALID_REQUEST, TEXT_TYPES } from "./schema.ts";
import { type Base, fieldOf, isObject, type StoredRecord, type Table } from "./state.ts";

/** Field types `performUpsert.fieldsToMergeOn` may name. */
const MERGE_TYPES = new Set([
  ...TEXT_TYPES,
  "number",
  "currency",
  "percent",
  "singleSelect",
  "multipleSelects",
  "date",
]);

function writeCells(base: Base, table: Table, record: StoredRecord, fields: unknown, typecast: boolean): void {
  if (!isObject(fields)) throw apiError(422, "INVALID_RECORDS", 'Each record needs a "fields" object.');
  for (const [name, value] of Object.entries(fields)) {
    const field = fieldOf(table, name);
    const cell = cellValue(base, field, value, typecast);
    if (cell === undefined) record.cells.delete(field.id);
    else record.cells.set(field.id, cell);
  }
}

function newRecord(base: Base, table: Table, fields: unknown, typecast: boolean): StoredRecord {
  const record: StoredRecord = { id: newId("rec"), createdTime: new Date().toISOString(), cells: new Map() };
  writeCells(base, table, record, fields, typecast);
  return record;
}

/** An existing record with the given cells written (`replace`: every other cell emptied), not yet stored. */
function withChanges(
  base: Base,
  table: Table,
  records: Map<string, StoredRecord>,
  update: { id?: unknown; fields?: unknown },
  typecast: boolean,
  replace: boolean,
): StoredRecord {
  const current = typeof update.id === "string" ? records.get(update.id) : undefined;
  if (!current)
    throw apiError(422, "ROW_DOES_NOT_EXIST", `Record ID ${String(update.id)} does not exist in this table`);
  const copy: StoredRecord = { ...current, cells: replace ? new Map() : new Map(current.cells) };
  writeCells(base, table, copy, update.fields, typecast);
  return copy;
}

/** Creates records from field objects; all-or-nothing like Airtable. */
export function createRecords(
  base: Base,
  table: Table,
  fieldsList: unknown[],
  typecast: boolean,
  read = JSON_READ,
): RecordJson[] {
  const created = fieldsList.map((fields) => newRecord(base, table, fields, typecast));
  for (const record of created) table.records.set(record.id, record);
  return created.map((record) => recordJson(table, record, read));
}

/** Changes the given cells of existing records (`replace`: PUT, the others emptied); all-or-nothing. */
export function updateRecords(
  base: Base,
  table: Table,
  updates: { id?: unknown; fields?: unknown }[],
  typecast: boolean,
  replace: boolean,
  read = JSON_READ,
): RecordJson[] {
  const changed = updates.map((update) => withChanges(base, table, table.records, update, typecast, replace));
  for (const record of changed) table.records.set(record.id, record);
  return changed.map((record) => recordJson(table, record, read));
}

/**
 * `performUpsert`: each record without an id updates the one record whose `fieldsToMergeOn` cells equal its
 * own, or is created; several matches fail the request. Records are taken in order; all-or-nothing.
 */
export function upsertRecords(
  base: Base,
  table: Table,
  records: { id?: unknown; fields?: unknown }[],
  fieldsToMergeOn: unknown,
  typecast: boolean,
  replace: boolean,
  read = JSON_READ,
): { records: RecordJson[]; createdRecords: string[]; updatedRecords: string[] } {
  if (
    !Array.isArray(fieldsToMergeOn) ||
    fieldsToMergeOn.length < 1 ||
    fieldsToMergeOn.length > 3 ||
    fieldsToMergeOn.some((key) => typeof key !== "string")
  )
    throw INVALID_REQUEST();
  const keys = (fieldsToMergeOn as string[]).map((key) => fieldOf(table, key));
  const computed = keys.find((field) => !MERGE_TYPES.has(field.type));
  if (computed)
    throw apiError(
      422,
      "INVALID_REQUEST_UNKNOWN",
      `Field "${computed.name}" (${computed.type}) cannot be used in fieldsToMergeOn: use a text, number, date or select field.`,
    );
  const staged = new Map(table.records);
  const createdRecords: string[] = [];
  const updatedRecords: string[] = [];
  const written = records.map((record, index) => {
    if (!isObject(record)) throw apiError(422, "INVALID_RECORDS", 'Each record needs a "fields" object.');
    if (record.id !== undefined) {
      const updated = withChanges(base, table, staged, record, typecast, replace);
      staged.set(updated.id, updated);
      updatedRecords.push(updated.id);
      return updated;
    }
    const draft = newRecord(base, table, record.fields, typecast);
    const values = keys.map((field) => draft.cells.get(field.id));
    const missing = keys.find((_, i) => values[i] === undefined);
    if (missing)
      throw apiError(
        422,
        "INVALID_REQUEST_UNKNOWN",
        `Record ${index + 1} has no value for "${missing.name}", which fieldsToMergeOn needs to find it.`,
      );
    const matches = [...staged.values()].filter((candidate) =>
      keys.every((field, i) => sameCell(candidate.cells.get(field.id), values[i])),
    );
    if (matches.length > 1)
      throw apiError(
        422,
        "INVALID_RECORDS",
        `Record ${index + 1} matches ${matches.length} records on ${keys.map((f) => f.name).join(", ")}; an upsert needs at most one.`,
      );
    if (matches.length === 0) {
      staged.set(draft.id, draft);
      createdRecords.push(draft.id);
      return draft;
    }
    const updated = withChanges(base, table, staged, { id: matches[0].id, fields: record.fields }, typecast, replace);
    staged.set(updated.id, updated);
    updatedRecords.push(updated.id);
    return updated;
  });
  table.records = staged;
  return { records: written.map((record) => recordJson(table, record, read)), createdRecords, updatedRecords };
}

/** Deletes records by id; an unknown id fails the whole call with Airtable's 404. */
export function deleteRecords(table: Table, ids: string[]): { id: string; deleted: true }[] {
  if (ids.some((id) => !table.records.has(id))) throw NOT_FOUND();
  for (const id of ids) {
    table.records.delete(id);
    table.comments.delete(id);
  }
  return ids.map((id) => ({ id, deleted: true }));
}

/** One record, or Airtable's 404 `{ error: "NOT_FOUND" }`. */
export function getRecord(table: Table, id: string, read = JSON_READ): RecordJson {
  const record = table.records.get(id);
  if (!record) throw NOT_FOUND();
  return recordJson(table, record, read);
}
