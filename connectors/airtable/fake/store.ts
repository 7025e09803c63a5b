// In-memory bases, tables, records and comments of the Airtable fake, with
// Airtable's rules for writing cells, upserting, listing records and changing
// the schema. Throws ApiError with Airtable's real status and error JSON when a
// request breaks a rule. Cells are kept by field id, so renaming a field keeps them.
import { AIRTABLE_FAKE_USER } from "./credentials.ts";
import { ApiError, apiError, NOT_FOUND, NOT_FOUND_MODEL, newId } from "./errors.ts";
import { compileFormula, FormulaError, type FormulaValue } from "./formula.ts";
import {
  checkDescription,
  checkName,
  type Field,
  INVALID_REQUEST,
  makeField,
  NUMBER_TYPES,
  TEXT_TYPES,
} from "./schema.ts";
import type { SeedBase, SeedTable } from "./seed.ts";

export { ApiError, apiError };

type Cell = string | number | boolean | string[];

interface View {
  id: string;
  name: string;
  type: "grid";
  filterByFormula?: string;
  sort?: SortSpec[];
}

interface StoredRecord {
  id: string;
  createdTime: string;
  /** By field id. */
  cells: Map<string, Cell>;
}

interface StoredComment {
  id: string;
  text: string;
  createdTime: string;
  lastUpdatedTime: string | null;
  parentCommentId?: string;
}

interface Table {
  id: string;
  name: string;
  description?: string;
  fields: Field[];
  views: View[];
  records: Map<string, StoredRecord>;
  /** By record id, oldest first. */
  comments: Map<string, StoredComment[]>;
}

interface Base {
  id: string;
  name: string;
  tables: Table[];
}

/** One `sort[n]` entry of a list request. */
export interface SortSpec {
  field: string;
  direction: "asc" | "desc";
}

/** How a read returns cells (`cellFormat`, `returnFieldsByFieldId`, `recordMetadata[]=commentCount`). */
export interface ReadParams {
  cellFormat: "json" | "string";
  byFieldId: boolean;
  commentCount: boolean;
}

/** A list request's parameters, already taken out of the query string or body. */
export interface ListParams extends ReadParams {
  filterByFormula?: string;
  sort: SortSpec[];
  view?: string;
  fields?: string[];
  maxRecords?: number;
  pageSize: number;
  offset?: string;
}

/** A record as Airtable sends it. */
export interface RecordJson {
  id: string;
  createdTime: string;
  fields: Record<string, Cell>;
  commentCount?: number;
}

const JSON_READ: ReadParams = { cellFormat: "json", byFieldId: false, commentCount: false };
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
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const sameCell = (a: Cell | undefined, b: Cell | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** Every base of one fake server. */
export class AirtableStore {
  private readonly bases: Base[] = [];
  private readonly iterators = new Map<string, string[]>();

  /** Adds a base with its tables and rows (seeding, or `POST /v0/meta/bases`). */
  addBase(seed: SeedBase): Base {
    const base: Base = { id: seed.id ?? newId("app"), name: checkName(seed.name), tables: [] };
    if (!Array.isArray(seed.tables) || seed.tables.length === 0) throw INVALID_REQUEST();
    for (const tableSeed of seed.tables) base.tables.push(this.makeTable(base, tableSeed));
    this.bases.push(base);
    return base;
  }

  /** A table from Airtable's write format; a seed may also give its id, views and rows. */
  private makeTable(base: Base, spec: unknown): Table {
    if (!isObject(spec)) throw INVALID_REQUEST();
    const seed = spec as Partial<SeedTable>;
    const name = checkName(seed.name);
    if (base.tables.some((table) => table.name.toLowerCase() === name.toLowerCase()))
      throw apiError(
        422,
        "DUPLICATE_TABLE_NAME",
        `A table named "${name}" already exists in this base. Table names must be unique (ignoring case).`,
      );
    if (!Array.isArray(seed.fields) || seed.fields.length === 0) throw INVALID_REQUEST();
    const tableIds = new Set(base.tables.map((table) => table.id));
    const fields: Field[] = [];
    for (const field of seed.fields)
      fields.push(
        makeField(
          field,
          fields.map((f) => f.name),
          tableIds,
          { primary: fields.length === 0 },
        ),
      );
    const description = checkDescription(seed.description);
    const table: Table = {
      id: seed.id ?? newId("tbl"),
      name,
      ...(description ? { description } : {}),
      fields,
      views: (seed.views ?? [{ name: "Grid view" }]).map((view) => ({
        ...view,
        id: newId("viw"),
        type: "grid" as const,
      })),
      records: new Map(),
      comments: new Map(),
    };
    for (const row of seed.rows ?? []) this.createRecords(base, table, [row], false);
    return table;
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
  schema(table: Table, options: { visibleFieldIds?: boolean } = {}): unknown {
    return {
      id: table.id,
      name: table.name,
      ...(table.description ? { description: table.description } : {}),
      primaryFieldId: table.fields[0].id,
      fields: table.fields.map((field) => ({ ...field })),
      views: table.views.map(({ id, name, type }) => ({
        id,
        name,
        type,
        ...(options.visibleFieldIds ? { visibleFieldIds: table.fields.map((field) => field.id) } : {}),
      })),
    };
  }

  /** `POST /v0/meta/bases/{baseId}/tables`. */
  createTable(baseId: string, body: Record<string, unknown>): unknown {
    const base = this.base(baseId);
    const table = this.makeTable(base, { name: body.name, description: body.description, fields: body.fields });
    base.tables.push(table);
    return this.schema(table);
  }

  /** `PATCH /v0/meta/bases/{baseId}/tables/{tableIdOrName}`: a new name and/or description. */
  updateTable(baseId: string, idOrName: string, body: Record<string, unknown>): unknown {
    const table = this.table(baseId, idOrName);
    const keys = Object.keys(body);
    if (keys.length === 0 || keys.some((key) => key !== "name" && key !== "description")) throw INVALID_REQUEST();
    const description = checkDescription(body.description);
    if (body.name !== undefined) {
      const name = checkName(body.name);
      const clash = this.base(baseId).tables.find(
        (other) => other !== table && other.name.toLowerCase() === name.toLowerCase(),
      );
      if (clash)
        throw apiError(
          422,
          "DUPLICATE_TABLE_NAME",
          `A table named "${clash.name}" already exists in this base. Table names must be unique (ignoring case).`,
        );
      table.name = name;
    }
    if (description !== undefined) table.description = description;
    return this.schema(table);
  }

  /** `POST /v0/meta/bases/{baseId}/tables/{tableId}/fields`. */
  createField(baseId: string, tableIdOrName: string, body: Record<string, unknown>): Field {
    const table = this.table(baseId, tableIdOrName);
    const tableIds = new Set(this.base(baseId).tables.map((t) => t.id));
    const field = makeField(
      body,
      table.fields.map((f) => f.name),
      tableIds,
    );
    table.fields.push(field);
    return { ...field };
  }

  /** `PATCH /v0/meta/bases/{baseId}/tables/{tableId}/fields/{fieldId}`: a new name and/or description only. */
  updateField(baseId: string, tableIdOrName: string, fieldId: string, body: Record<string, unknown>): Field {
    const table = this.table(baseId, tableIdOrName);
    const field = table.fields.find((candidate) => candidate.id === fieldId);
    if (!field) throw NOT_FOUND_MODEL();
    const keys = Object.keys(body);
    if (keys.length === 0 || keys.some((key) => key !== "name" && key !== "description")) throw INVALID_REQUEST();
    const description = checkDescription(body.description);
    if (body.name !== undefined) {
      const name = typeof body.name === "string" ? body.name : "";
      if (
        name.trim() === "" ||
        table.fields.some((other) => other !== field && other.name.toLowerCase() === name.toLowerCase())
      )
        throw apiError(
          422,
          "DUPLICATE_OR_EMPTY_FIELD_NAME",
          name.trim() === ""
            ? "A field name cannot be empty."
            : `A field named "${name}" already exists in this table. Field names must be unique (ignoring case).`,
        );
      field.name = name;
    }
    if (description !== undefined) field.description = description;
    return { ...field };
  }

  private field(table: Table, nameOrId: string): Field {
    const field = table.fields.find((candidate) => candidate.name === nameOrId || candidate.id === nameOrId);
    if (!field) throw apiError(422, "UNKNOWN_FIELD_NAME", `Unknown field name: "${nameOrId}"`);
    return field;
  }

  /** One cell value after Airtable's checks; undefined empties the cell. */
  private cell(base: Base, field: Field, value: unknown, typecast: boolean): Cell | undefined {
    const refuse = () =>
      apiError(422, "INVALID_VALUE_FOR_COLUMN", `Field "${field.name}" cannot accept the provided value`);
    if (value === null || value === undefined || value === "") return undefined;
    if (TEXT_TYPES.has(field.type)) {
      if (typeof value === "string") return value;
      if (typecast && (typeof value === "number" || typeof value === "boolean")) return String(value);
      throw refuse();
    }
    if (NUMBER_TYPES.has(field.type)) {
      const number =
        typeof value === "number"
          ? value
          : typecast && typeof value === "string" && value.trim() !== ""
            ? Number(value)
            : Number.NaN;
      if (!Number.isFinite(number)) throw refuse();
      if (field.type === "rating" && (!Number.isInteger(number) || number < 1 || number > Number(field.options?.max)))
        throw refuse();
      return number;
    }
    if (field.type === "checkbox") {
      const checked =
        typeof value === "boolean"
          ? value
          : typecast && typeof value === "string"
            ? ["true", "yes", "checked", "1"].includes(value.toLowerCase())
            : undefined;
      if (checked === undefined) throw refuse();
      return checked ? true : undefined;
    }
    if (field.type === "date" || field.type === "dateTime") {
      const text = typeof value === "string" ? value : "";
      const parsed = new Date(text);
      const iso = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text);
      if (text === "" || Number.isNaN(parsed.getTime()) || (!iso && !typecast)) throw refuse();
      if (field.type === "dateTime") return parsed.toISOString();
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : parsed.toISOString().slice(0, 10);
    }
    if (field.type === "multipleRecordLinks") {
      const ids = Array.isArray(value) ? value : typecast && typeof value === "string" ? [value] : null;
      const linked = base.tables.find((table) => table.id === field.options?.linkedTableId);
      if (!ids || !linked || ids.some((id) => typeof id !== "string" || !linked.records.has(id))) throw refuse();
      return ids.length === 0 ? undefined : (ids as string[]);
    }
    // singleSelect and multipleSelects: choice names; typecast adds missing choices, as in Airtable.
    const names =
      field.type === "multipleSelects"
        ? Array.isArray(value)
          ? value
          : typecast && typeof value === "string"
            ? value.split(",").map((s) => s.trim())
            : null
        : typeof value === "string"
          ? [value]
          : null;
    if (!names || names.some((name) => typeof name !== "string")) throw refuse();
    field.options ??= {};
    field.options.choices ??= [];
    const choices = field.options.choices;
    for (const name of names as string[]) {
      if (choices.some((choice) => choice.name === name)) continue;
      if (!typecast)
        throw apiError(
          422,
          "INVALID_MULTIPLE_CHOICE_OPTIONS",
          `Insufficient permissions to create new select option ""${name}""`,
        );
      choices.push({ id: newId("sel"), name });
    }
    if (field.type === "multipleSelects") return names.length === 0 ? undefined : (names as string[]);
    return (names as string[])[0];
  }

  private write(base: Base, table: Table, record: StoredRecord, fields: unknown, typecast: boolean): void {
    if (!isObject(fields)) throw apiError(422, "INVALID_RECORDS", 'Each record needs a "fields" object.');
    for (const [name, value] of Object.entries(fields)) {
      const field = this.field(table, name);
      const cell = this.cell(base, field, value, typecast);
      if (cell === undefined) record.cells.delete(field.id);
      else record.cells.set(field.id, cell);
    }
  }

  private newRecord(base: Base, table: Table, fields: unknown, typecast: boolean): StoredRecord {
    const record: StoredRecord = { id: newId("rec"), createdTime: new Date().toISOString(), cells: new Map() };
    this.write(base, table, record, fields, typecast);
    return record;
  }

  /** An existing record with the given cells written (`replace`: every other cell emptied), not yet stored. */
  private changed(
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
    this.write(base, table, copy, update.fields, typecast);
    return copy;
  }

  /** Creates records from field objects; all-or-nothing like Airtable. */
  createRecords(base: Base, table: Table, fieldsList: unknown[], typecast: boolean, read = JSON_READ): RecordJson[] {
    const created = fieldsList.map((fields) => this.newRecord(base, table, fields, typecast));
    for (const record of created) table.records.set(record.id, record);
    return created.map((record) => this.json(table, record, read));
  }

  /** Changes the given cells of existing records (`replace`: PUT, the others emptied); all-or-nothing. */
  updateRecords(
    base: Base,
    table: Table,
    updates: { id?: unknown; fields?: unknown }[],
    typecast: boolean,
    replace: boolean,
    read = JSON_READ,
  ): RecordJson[] {
    const changed = updates.map((update) => this.changed(base, table, table.records, update, typecast, replace));
    for (const record of changed) table.records.set(record.id, record);
    return changed.map((record) => this.json(table, record, read));
  }

  /**
   * `performUpsert`: each record without an id updates the one record whose `fieldsToMergeOn` cells equal its
   * own, or is created; several matches fail the request. Records are taken in order; all-or-nothing.
   */
  upsertRecords(
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
    const keys = (fieldsToMergeOn as string[]).map((key) => this.field(table, key));
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
        const updated = this.changed(base, table, staged, record, typecast, replace);
        staged.set(updated.id, updated);
        updatedRecords.push(updated.id);
        return updated;
      }
      const draft = this.newRecord(base, table, record.fields, typecast);
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
      const updated = this.changed(
        base,
        table,
        staged,
        { id: matches[0].id, fields: record.fields },
        typecast,
        replace,
      );
      staged.set(updated.id, updated);
      updatedRecords.push(updated.id);
      return updated;
    });
    table.records = staged;
    return { records: written.map((record) => this.json(table, record, read)), createdRecords, updatedRecords };
  }

  /** Deletes records by id; an unknown id fails the whole call with Airtable's 404. */
  deleteRecords(table: Table, ids: string[]): { id: string; deleted: true }[] {
    if (ids.some((id) => !table.records.has(id))) throw NOT_FOUND();
    for (const id of ids) {
      table.records.delete(id);
      table.comments.delete(id);
    }
    return ids.map((id) => ({ id, deleted: true }));
  }

  /** One record, or Airtable's 404 `{ error: "NOT_FOUND" }`. */
  getRecord(table: Table, id: string, read = JSON_READ): RecordJson {
    const record = table.records.get(id);
    if (!record) throw NOT_FOUND();
    return this.json(table, record, read);
  }

  private json(table: Table, record: StoredRecord, read: ReadParams, only?: Set<string>): RecordJson {
    const fields: Record<string, Cell> = {};
    for (const field of table.fields) {
      const value = record.cells.get(field.id);
      if (value === undefined || (only && !only.has(field.id))) continue;
      fields[read.byFieldId ? field.id : field.name] = read.cellFormat === "string" ? asText(field, value) : value;
    }
    const comments = table.comments.get(record.id)?.length ?? 0;
    return {
      id: record.id,
      createdTime: record.createdTime,
      fields,
      ...(read.commentCount && comments > 0 ? { commentCount: comments } : {}),
    };
  }

  private matching(table: Table, params: ListParams): string[] {
    const names = new Set(table.fields.flatMap((field) => [field.name, field.id]));
    const view =
      params.view === undefined ? undefined : table.views.find((v) => v.id === params.view || v.name === params.view);
    if (params.view !== undefined && !view)
      throw apiError(422, "VIEW_NAME_NOT_FOUND", `Could not find view ${params.view} in table ${table.name}`);
    const filters: ((record: { id: string; fields: Record<string, FormulaValue> }) => boolean)[] = [];
    try {
      if (view?.filterByFormula) filters.push(compileFormula(view.filterByFormula, names));
      if (params.filterByFormula !== undefined) filters.push(compileFormula(params.filterByFormula, names));
    } catch (error) {
      if (error instanceof FormulaError)
        throw apiError(
          422,
          "INVALID_FILTER_BY_FORMULA",
          `The formula for filtering records is invalid: ${error.message}`,
        );
      throw error;
    }
    const sort = (params.sort.length > 0 ? params.sort : (view?.sort ?? [])).map((spec) => ({
      id: this.field(table, spec.field).id,
      direction: spec.direction,
    }));
    const rows = [...table.records.values()].map((record) => {
      const fields: Record<string, FormulaValue> = {};
      for (const field of table.fields) {
        const value = record.cells.get(field.id);
        if (value === undefined) continue;
        fields[field.name] = value;
        fields[field.id] = value;
      }
      return { id: record.id, cells: record.cells, fields };
    });
    const kept = rows.filter((row) => filters.every((matches) => matches(row)));
    kept.sort((a, b) => {
      for (const spec of sort) {
        const order = compareCells(a.cells.get(spec.id), b.cells.get(spec.id));
        if (order !== 0) return spec.direction === "desc" ? -order : order;
      }
      return 0;
    });
    const ids = kept.map((row) => row.id);
    return params.maxRecords === undefined ? ids : ids.slice(0, params.maxRecords);
  }

  /** One page of `GET /v0/{baseId}/{table}`, with Airtable's `offset` continuation. */
  listRecords(table: Table, params: ListParams): { records: RecordJson[]; offset?: string } {
    const only = params.fields && new Set(params.fields.map((name) => this.field(table, name).id));
    let iteratorId: string;
    let ids: string[];
    let start = 0;
    if (params.offset !== undefined) {
      const [itr, recordId] = params.offset.split("/");
      const stored = this.iterators.get(itr);
      start = stored ? stored.indexOf(recordId) : -1;
      if (!stored || start < 0)
        throw apiError(
          422,
          "LIST_RECORDS_ITERATOR_NOT_AVAILABLE",
          "The offset is no longer valid. Start the list again from the first page.",
        );
      iteratorId = itr;
      ids = stored;
    } else {
      iteratorId = newId("itr");
      ids = this.matching(table, params);
      this.iterators.set(iteratorId, ids);
    }
    const pageIds = ids.slice(start, start + params.pageSize);
    const records = pageIds.flatMap((id) => {
      const record = table.records.get(id);
      return record ? [this.json(table, record, params, only)] : [];
    });
    const next = ids[start + params.pageSize];
    return next === undefined ? { records } : { records, offset: `${iteratorId}/${next}` };
  }

  // --- Record comments ---

  private commentsOf(table: Table, recordId: string): StoredComment[] {
    if (!table.records.has(recordId)) throw NOT_FOUND();
    let comments = table.comments.get(recordId);
    if (!comments) {
      comments = [];
      table.comments.set(recordId, comments);
    }
    return comments;
  }

  private commentJson(comment: StoredComment): unknown {
    const mentioned = comment.text.includes(`@[${AIRTABLE_FAKE_USER.id}]`)
      ? {
          [AIRTABLE_FAKE_USER.id]: {
            type: "user",
            id: AIRTABLE_FAKE_USER.id,
            displayName: AIRTABLE_FAKE_USER.name,
            email: AIRTABLE_FAKE_USER.email,
          },
        }
      : undefined;
    return {
      id: comment.id,
      author: { ...AIRTABLE_FAKE_USER },
      text: comment.text,
      createdTime: comment.createdTime,
      lastUpdatedTime: comment.lastUpdatedTime,
      ...(comment.parentCommentId ? { parentCommentId: comment.parentCommentId } : {}),
      ...(mentioned ? { mentioned } : {}),
    };
  }

  /** `GET …/{recordId}/comments`: newest first, `pageSize` (≤100) at a time; `offset` null on the last page. */
  listComments(table: Table, recordId: string, pageSize: number, offset?: string): unknown {
    const newestFirst = [...this.commentsOf(table, recordId)].reverse();
    const start = offset === undefined ? 0 : newestFirst.findIndex((comment) => comment.id === offset);
    if (start < 0) throw apiError(422, "INVALID_OFFSET_VALUE", "The offset is no longer valid.");
    const page = newestFirst.slice(start, start + pageSize);
    return { comments: page.map((c) => this.commentJson(c)), offset: newestFirst[start + pageSize]?.id ?? null };
  }

  /** `POST …/{recordId}/comments` `{ text, parentCommentId? }`. */
  createComment(table: Table, recordId: string, body: Record<string, unknown>): unknown {
    const comments = this.commentsOf(table, recordId);
    if (typeof body.text !== "string" || body.text.trim() === "") throw INVALID_REQUEST();
    const parent = body.parentCommentId;
    if (parent !== undefined && !comments.some((comment) => comment.id === parent)) throw INVALID_REQUEST();
    const comment: StoredComment = {
      id: newId("com"),
      text: body.text,
      createdTime: new Date().toISOString(),
      lastUpdatedTime: null,
      ...(typeof parent === "string" ? { parentCommentId: parent } : {}),
    };
    comments.push(comment);
    return this.commentJson(comment);
  }

  /** `PATCH …/comments/{commentId}` `{ text }`. */
  updateComment(table: Table, recordId: string, commentId: string, body: Record<string, unknown>): unknown {
    const comment = this.commentsOf(table, recordId).find((candidate) => candidate.id === commentId);
    if (!comment) throw NOT_FOUND();
    if (typeof body.text !== "string" || body.text.trim() === "") throw INVALID_REQUEST();
    comment.text = body.text;
    comment.lastUpdatedTime = new Date().toISOString();
    return this.commentJson(comment);
  }

  /** `DELETE …/comments/{commentId}`. */
  deleteComment(table: Table, recordId: string, commentId: string): { id: string; deleted: true } {
    const comments = this.commentsOf(table, recordId);
    const index = comments.findIndex((comment) => comment.id === commentId);
    if (index < 0) throw NOT_FOUND();
    comments.splice(index, 1);
    return { id: commentId, deleted: true };
  }
}

/** A cell as `cellFormat=string` shows it (close to Airtable's; its exact text is not promised either). */
function asText(field: Field, value: Cell): string {
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return "checked";
  if (typeof value !== "number") return value;
  const precision = typeof field.options?.precision === "number" ? field.options.precision : undefined;
  if (field.type === "currency") return `${field.options?.symbol ?? ""}${value.toFixed(precision ?? 2)}`;
  if (field.type === "percent") return `${(value * 100).toFixed(precision ?? 0)}%`;
  return precision === undefined ? String(value) : value.toFixed(precision);
}

/** Blanks first, numbers by value, text alphabetically. */
function compareCells(a: FormulaValue | undefined, b: FormulaValue | undefined): number {
  const blankA = a === undefined || a === null || a === "";
  const blankB = b === undefined || b === null || b === "";
  if (blankA || blankB) return blankA === blankB ? 0 : blankA ? -1 : 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}
