// In-memory bases, tables, records and comments of the Airtable fake, with
// Airtable's rules for writing cells, upserting, listing records and changing
// the schema. Throws ApiError with Airtable's real status and error JSON when a
// request breaks a rule. The rules live beside it: tables.ts (schema),
// records.ts and cells.ts (writes), listing.ts, comments.ts; state.ts the shapes.
import { createComment, deleteComment, listComments, updateComment } from "./comments.ts";
import { ApiError, apiError, NOT_FOUND_MODEL, newId } from "./errors.ts";
import { listPage, type ListParams } from "./listing.ts";
import { createRecords, deleteRecords, getRecord, updateRecords, upsertRecords } from "./records.ts";
import type { RecordJson } from "./record-json.ts";
import { checkName, type Field, INVALID_REQUEST } from "./schema.ts";
import type { SeedBase } from "./seed.ts";
import type { Base, Table } from "./state.ts";
import { createField, createTable, makeTable, tableSchema, updateField, updateTable } from "./tables.ts";

export { ApiError, apiError };
export type { ListParams } from "./listing.ts";
export type { ReadParams, RecordJson } from "./record-json.ts";
export type { SortSpec } from "./state.ts";

/** Every base of one fake server. */
export class AirtableStore {
  private readonly bases: Base[] = [];
  /** Each list's matching record ids by iterator id, for its later pages. */
  private readonly iterators = new Map<string, string[]>();

  /** Adds a base with its tables and rows (seeding, or `POST /v0/meta/bases`). */
  addBase(seed: SeedBase): Base {
    const base: Base = { id: seed.id ?? newId("app"), name: checkName(seed.name), tables: [] };
    if (!Array.isArray(seed.tables) || seed.tables.length === 0) throw INVALID_REQUEST();
    for (const tableSeed of seed.tables) base.tables.push(makeTable(base, tableSeed));
    this.bases.push(base);
    return base;
  }

  /** Every base, in the shape of `GET /v0/meta/bases`. */
  listBases(): { id: string; name: string; permissionLevel: "create" }[] {
    return this.bases.map((base) => ({ id: base.id, name: base.name, permissionLevel: "create" }));
  }

  /** A base by id, or Airtable's 403 for an unknown one. */
  base(baseId: string): Base {
    const base = this.bases.find((candidate) => candidate.id === baseId);
    if (!base) throw NOT_FOUND_MODEL();
    return base;
  }

  /** A table by id or exact name, or Airtable's 403 for an unknown one. */
  table(baseId: string, idOrName: string): Table {
    const table = this.base(baseId).tables.find(
      (candidate) => candidate.id === idOrName || candidate.name === idOrName,
    );
    if (!table) throw NOT_FOUND_MODEL();
    return table;
  }

  /** A table in the shape of `GET /v0/meta/bases/{baseId}/tables`. */
  readonly schema = tableSchema;

  /** `POST /v0/meta/bases/{baseId}/tables`. */
  createTable(baseId: string, body: Record<string, unknown>): unknown {
    return createTable(this.base(baseId), body);
  }

  /** `PATCH /v0/meta/bases/{baseId}/tables/{tableIdOrName}`: a new name and/or description. */
  updateTable(baseId: string, idOrName: string, body: Record<string, unknown>): unknown {
    const table = this.table(baseId, idOrName);
    return updateTable(this.base(baseId), table, body);
  }

  /** `POST /v0/meta/bases/{baseId}/tables/{tableId}/fields`. */
  createField(baseId: string, tableIdOrName: string, body: Record<string, unknown>): Field {
    const table = this.table(baseId, tableIdOrName);
    return createField(this.base(baseId), table, body);
  }

  /** `PATCH /v0/meta/bases/{baseId}/tables/{tableId}/fields/{fieldId}`: a new name and/or description only. */
  updateField(baseId: string, tableIdOrName: string, fieldId: string, body: Record<string, unknown>): Field {
    return updateField(this.table(baseId, tableIdOrName), fieldId, body);
  }

  /** Creates records from field objects; all-or-nothing like Airtable. */
  readonly createRecords = createRecords;
  /** Changes the given cells of existing records (`replace`: PUT, the others emptied); all-or-nothing. */
  readonly updateRecords = updateRecords;
  /** `performUpsert`: updates the one record matching on `fieldsToMergeOn`, or creates one; all-or-nothing. */
  readonly upsertRecords = upsertRecords;
  /** Deletes records by id; an unknown id fails the whole call with Airtable's 404. */
  readonly deleteRecords = deleteRecords;
  /** One record, or Airtable's 404 `{ error: "NOT_FOUND" }`. */
  readonly getRecord = getRecord;

  /** One page of `GET /v0/{baseId}/{table}`, with Airtable's `offset` continuation. */
  listRecords(table: Table, params: ListParams): { records: RecordJson[]; offset?: string } {
    return listPage(this.iterators, table, params);
  }

  /** `GET …/{recordId}/comments`: newest first, `pageSize` (≤100) at a time; `offset` null on the last page. */
  readonly listComments = listComments;
  /** `POST …/{recordId}/comments` `{ text, parentCommentId? }`. */
  readonly createComment = createComment;
  /** `PATCH …/comments/{commentId}` `{ text }`. */
  readonly updateComment = updateComment;
  /** `DELETE …/comments/{commentId}`. */
  readonly deleteComment = deleteComment;
}
