// A record as the Airtable fake sends it: cells by field name or id, as JSON
// values or as text (`cellFormat=string`), with its comment count if asked.
import type { Field } from "./schema.ts";
import type { Cell, StoredRecord, Table } from "./state.ts";

/** How a read returns cells (`cellFormat`, `returnFieldsByFieldId`, `recordMetadata[]=commentCount`). */
export interface ReadParams {
  cellFormat: "json" | "string";
  byFieldId: boolean;
  commentCount: boolean;
}

/** A record as Airtable sends it. */
export interface RecordJson {
  id: string;
  createdTime: string;
  fields: Record<string, Cell>;
  commentCount?: number;
}

/** A read's defaults: JSON cells by field name, no metadata. */
export const JSON_READ: ReadParams = { cellFormat: "json", byFieldId: false, commentCount: false };

/** The record as sent; `only`: the field ids a list asked for (`fields[]`). */
export function recordJson(table: Table, record: StoredRecord, read: ReadParams, only?: Set<string>): RecordJson {
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
