// Turns the data browser's row form into typed column values (and back), so a
// form without JavaScript can still write numbers, booleans and JSON. Pure.
import type { Column } from "$shapes";

/** Form field holding a column's value. Prefixed so column names never clash with other fields. */
export const valueField = (column: string) => `value:${column}`;

/** Checkbox that sets an optional column to empty (null). */
export const emptyField = (column: string) => `empty:${column}`;

/** Reads one submitted field (null when absent). */
export type FieldReader = (name: string) => string | null;

/** `insert`: blank fields with a default or an optional column are left out; `update`: every column is sent. */
export type RowFormMode = "insert" | "update";

/** The typed row to send to the API, or the problems (in words) that stop it. */
export interface RowFormResult {
  values: Record<string, unknown>;
  problems: string[];
}

/** Reads the row form for `columns`; problems name the column and say what it needs. */
export function readRowForm(columns: readonly Column[], read: FieldReader, mode: RowFormMode): RowFormResult {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const column of columns) {
    if (column.optional && read(emptyField(column.name)) !== null) {
      values[column.name] = null;
      continue;
    }
    const raw = read(valueField(column.name)) ?? "";
    if (column.type === "boolean") {
      values[column.name] = raw === "true";
      continue;
    }
    const text = column.type === "text" ? raw : raw.trim();
    if (text === "") {
      const hasDefault = column.default !== undefined && column.default !== null;
      if (mode === "insert" && (hasDefault || column.optional)) continue;
      if (column.type === "text") values[column.name] = "";
      else if (column.optional) values[column.name] = null;
      else problems.push(`'${column.name}' needs ${NEEDS[column.type] ?? "a value"}.`);
      continue;
    }
    const parsed = parseValue(column, text);
    if (parsed.ok) values[column.name] = parsed.value;
    else problems.push(parsed.problem);
  }
  return { values, problems };
}

/** What an input shows for a stored value (JSON pretty-printed, null as blank). */
export function fieldText(type: string, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (type === "json") return JSON.stringify(value, null, 2);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const NEEDS: Record<string, string> = {
  integer: "a whole number",
  number: "a number",
  json: "JSON data, such as [] or {}",
  datetime: "a date and time, such as 2026-11-21T09:30:00Z",
};

type Parsed = { ok: true; value: unknown } | { ok: false; problem: string };

function parseValue(column: Column, text: string): Parsed {
  switch (column.type) {
    case "integer": {
      const n = Number(text);
      return Number.isSafeInteger(n)
        ? { ok: true, value: n }
        : { ok: false, problem: `'${column.name}' needs a whole number; "${text}" is not one.` };
    }
    case "number": {
      const n = Number(text);
      return Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, problem: `'${column.name}' needs a number; "${text}" is not one.` };
    }
    case "json":
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return {
          ok: false,
          problem: `'${column.name}' needs JSON data (text in "quotes", numbers, true/false, [lists] or {objects}): ${reason}.`,
        };
      }
    default:
      // text and datetime go as typed; the API checks datetimes and says what it expects.
      return { ok: true, value: text };
  }
}
