// In-memory bases, tables and records of the Airtable fake, with Airtable's
// rules for writing cells and listing records. Throws ApiError with
// Airtable's real status and error JSON when a request breaks a rule.
import { compileFormula, FormulaError, type FormulaValue } from "./formula.ts";
import type { SeedBase, SeedField, SeedTable } from "./seed.ts";

/** An Airtable error answer: status and JSON body. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(JSON.stringify(body));
    this.status = status;
    this.body = body;
  }
}

/** The usual `{ error: { type, message } }` answer. */
export function apiError(status: number, type: string, message: string): ApiError {
  return new ApiError(status, { error: { type, message } });
}

const NOT_FOUND_MODEL = () =>
  apiError(
    403,
    "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
    "Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.",
  );

type Cell = string | number | boolean | string[];

interface Field extends SeedField {
  id: string;
}

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
  cells: Map<string, Cell>;
}

interface Table {
  id: string;
  name: string;
  description?: string;
  fields: Field[];
  views: View[];
  records: Map<string, StoredRecord>;
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

/** A list request's parameters, already taken out of the query string. */
export interface ListParams {
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
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function newId(prefix: string): string {
  let id = prefix;
  for (let i = 0; i < 14; i += 1) id += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return id;
}

const TEXT_TYPES = new Set(["singleLineText", "multilineText", "email", "url", "phoneNumber", "richText"]);
const FIELD_TYPES = new Set([
  ...TEXT_TYPES,
  "number",
  "currency",
  "percent",
  "checkbox",
  "singleSelect",
  "multipleSelects",
  "date",
]);

/** Every base of one fake server. */
export class AirtableStore {
  private readonly bases: Base[] = [];
  private readonly iterators = new Map<string, string[]>();

  /** Adds a base with its tables and rows (seeding, or `POST /v0/meta/bases`). */
  addBase(seed: SeedBase): Base {
    if (!seed.name) throw apiError(422, "INVALID_REQUEST_UNKNOWN", "Invalid request: the base needs a name.");
    if (seed.tables.length === 0)
      throw apiError(422, "INVALID_REQUEST_UNKNOWN", "Invalid request: a base needs at least one table.");
    const base: Base = { id: seed.id ?? newId("app"), name: seed.name, tables: [] };
    for (const tableSeed of seed.tables) base.tables.push(this.makeTable(tableSeed));
    this.bases.push(base);
    return base;
  }

  private makeTable(seed: SeedTable): Table {
    if (!seed.name || seed.fields.length === 0)
      throw apiError(422, "INVALID_REQUEST_UNKNOWN", "Invalid request: a table needs a name and at least one field.");
    for (const field of seed.fields) {
      if (!FIELD_TYPES.has(field.type))
        throw apiError(422, "INVALID_FIELD_TYPE", `Field type "${field.type}" is not supported by the Kiln fake.`);
    }
    const table: Table = {
      id: seed.id ?? newId("tbl"),
      name: seed.name,
      description: seed.description,
      fields: seed.fields.map((field) => ({
        ...field,
        options: field.options && { ...field.options, choices: field.options.choices?.map((c) => ({ ...c })) },
        id: newId("fld"),
      })),
      views: (seed.views ?? [{ name: "Grid view" }]).map((view) => ({
        ...view,
        id: newId("viw"),
        type: "grid" as const,
      })),
      records: new Map(),
    };
    for (const row of seed.rows ?? []) this.createRecords(table, [row], false);
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
  schema(table: Table): unknown {
    return {
      id: table.id,
      name: table.name,
      ...(table.description ? { description: table.description } : {}),
      primaryFieldId: table.fields[0].id,
      fields: table.fields.map(({ id, name, type, options }) => ({ id, name, type, ...(options ? { options } : {}) })),
      views: table.views.map(({ id, name, type }) => ({ id, name, type })),
    };
  }

  private field(table: Table, name: string): Field {
    const field = table.fields.find((candidate) => candidate.name === name || candidate.id === name);
    if (!field) throw apiError(422, "UNKNOWN_FIELD_NAME", `Unknown field name: "${name}"`);
    return field;
  }

  /** One cell value after Airtable's checks; undefined empties the cell. */
  private cell(field: Field, value: unknown, typecast: boolean): Cell | undefined {
    const refuse = () =>
      apiError(422, "INVALID_VALUE_FOR_COLUMN", `Field "${field.name}" cannot accept the provided value`);
    if (value === null || value === undefined || value === "") return undefined;
    if (TEXT_TYPES.has(field.type)) {
      if (typeof value === "string") return value;
      if (typecast && (typeof value === "number" || typeof value === "boolean")) return String(value);
      throw refuse();
    }
    if (field.type === "number" || field.type === "currency" || field.type === "percent") {
      if (typeof value === "number" && Number.isFinite(value)) return value;
      if (typecast && typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
        return Number(value);
      throw refuse();
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
    if (field.type === "date") {
      const text = typeof value === "string" ? value : "";
      if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
      const parsed = new Date(text);
      if (typecast && text !== "" && !Number.isNaN(parsed.getTime())) return parsed.toISOString().slice(0, 10);
      throw refuse();
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
      choices.push({ name });
    }
    return field.type === "multipleSelects" ? (names as string[]) : (names as string[])[0];
  }

  private write(table: Table, record: StoredRecord, fields: unknown, typecast: boolean): void {
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
      throw apiError(422, "INVALID_RECORDS", 'Each record needs a "fields" object.');
    }
    for (const [name, value] of Object.entries(fields)) {
      const field = this.field(table, name);
      const cell = this.cell(field, value, typecast);
      if (cell === undefined) record.cells.delete(field.name);
      else record.cells.set(field.name, cell);
    }
  }

  /** Creates records from field objects; all-or-nothing like Airtable. */
  createRecords(table: Table, fieldsList: unknown[], typecast: boolean): RecordJson[] {
    const created = fieldsList.map((fields) => {
      const record: StoredRecord = { id: newId("rec"), createdTime: new Date().toISOString(), cells: new Map() };
      this.write(table, record, fields, typecast);
      return record;
    });
    for (const record of created) table.records.set(record.id, record);
    return created.map((record) => this.json(record));
  }

  /** Changes the given cells of existing records; all-or-nothing like Airtable. */
  updateRecords(table: Table, updates: { id?: unknown; fields?: unknown }[], typecast: boolean): RecordJson[] {
    const changed = updates.map((update) => {
      const current = typeof update.id === "string" ? table.records.get(update.id) : undefined;
      if (!current)
        throw apiError(422, "ROW_DOES_NOT_EXIST", `Record ID ${String(update.id)} does not exist in this table`);
      const copy: StoredRecord = { ...current, cells: new Map(current.cells) };
      this.write(table, copy, update.fields, typecast);
      return copy;
    });
    for (const record of changed) table.records.set(record.id, record);
    return changed.map((record) => this.json(record));
  }

  /** Deletes records by id; an unknown id fails the whole call with Airtable's 404. */
  deleteRecords(table: Table, ids: string[]): { id: string; deleted: true }[] {
    if (ids.some((id) => !table.records.has(id))) throw new ApiError(404, { error: "NOT_FOUND" });
    for (const id of ids) table.records.delete(id);
    return ids.map((id) => ({ id, deleted: true }));
  }

  /** One record, or Airtable's 404 `{ error: "NOT_FOUND" }`. */
  getRecord(table: Table, id: string): RecordJson {
    const record = table.records.get(id);
    if (!record) throw new ApiError(404, { error: "NOT_FOUND" });
    return this.json(record);
  }

  private json(record: StoredRecord, only?: string[]): RecordJson {
    const fields: Record<string, Cell> = {};
    for (const [name, value] of record.cells) if (!only || only.includes(name)) fields[name] = value;
    return { id: record.id, createdTime: record.createdTime, fields };
  }

  private matching(table: Table, params: ListParams): string[] {
    const names = new Set(table.fields.map((field) => field.name));
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
    const sort = params.sort.length > 0 ? params.sort : (view?.sort ?? []);
    for (const spec of sort) this.field(table, spec.field);
    const rows = [...table.records.values()].map((record) => ({
      id: record.id,
      fields: Object.fromEntries(record.cells),
    }));
    const kept = rows.filter((row) => filters.every((matches) => matches(row)));
    kept.sort((a, b) => {
      for (const spec of sort) {
        const order = compareCells(a.fields[spec.field], b.fields[spec.field]);
        if (order !== 0) return spec.direction === "desc" ? -order : order;
      }
      return 0;
    });
    const ids = kept.map((row) => row.id);
    return params.maxRecords === undefined ? ids : ids.slice(0, params.maxRecords);
  }

  /** One page of `GET /v0/{baseId}/{table}`, with Airtable's `offset` continuation. */
  listRecords(table: Table, params: ListParams): { records: RecordJson[]; offset?: string } {
    for (const name of params.fields ?? []) this.field(table, name);
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
      return record ? [this.json(record, params.fields)] : [];
    });
    const next = ids[start + params.pageSize];
    return next === undefined ? { records } : { records, offset: `${iteratorId}/${next}` };
  }
}

/** Blanks first, numbers by value, text alphabetically. */
function compareCells(a: FormulaValue | undefined, b: FormulaValue | undefined): number {
  const blankA = a === undefined || a === null || a === "";
  const blankB = b === undefined || b === null || b === "";
  if (blankA || blankB) return blankA === blankB ? 0 : blankA ? -1 : 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}
