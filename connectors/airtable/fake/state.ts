// What the Airtable fake holds in memory: bases, their tables, records and
// comments. Cells are kept by field id, so renaming a field keeps them.
import { apiError } from "./errors.ts";
import type { Field } from "./schema.ts";

/** A cell value as stored (an empty cell is not stored). */
export type Cell = string | number | boolean | string[];

/** One `sort[n]` entry of a list request. */
export interface SortSpec {
  field: string;
  direction: "asc" | "desc";
}

/** A grid view: a list naming it gets its filter and order. */
export interface View {
  id: string;
  name: string;
  type: "grid";
  filterByFormula?: string;
  sort?: SortSpec[];
}

/** A record as held: its cells by field id. */
export interface StoredRecord {
  id: string;
  createdTime: string;
  /** By field id. */
  cells: Map<string, Cell>;
}

/** A record comment as held. */
export interface StoredComment {
  id: string;
  text: string;
  createdTime: string;
  lastUpdatedTime: string | null;
  parentCommentId?: string;
}

/** A table: its schema, views, records and their comments. */
export interface Table {
  id: string;
  name: string;
  description?: string;
  fields: Field[];
  views: View[];
  records: Map<string, StoredRecord>;
  /** By record id, oldest first. */
  comments: Map<string, StoredComment[]>;
}

/** A base and its tables. */
export interface Base {
  id: string;
  name: string;
  tables: Table[];
}

/** A JSON object (not an array): what a body, a table spec or a record's `fields` must be. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A field by exact name or id, or Airtable's 422 UNKNOWN_FIELD_NAME. */
export function fieldOf(table: Table, nameOrId: string): Field {
  const field = table.fields.find((candidate) => candidate.name === nameOrId || candidate.id === nameOrId);
  if (!field) throw apiError(422, "UNKNOWN_FIELD_NAME", `Unknown field name: "${nameOrId}"`);
  return field;
}
