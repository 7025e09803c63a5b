import type { ColumnType } from "../../sdk/kiln/index";
import { columnLabel } from "../core/column-label";
import { describeValue, isIsoDateTime, valueProblem, type DataValue } from "./column-values";
import { columnList, type CompiledTable } from "./compiled-schema";
import { isPlainObject } from "./list-options";
import { DataError } from "./result";
import { SYSTEM_COLUMNS, type ColumnDefinition } from "./schema";

/**
 * The owner's writes (the Data tab, its inline edits and CSV imports) pass these checks before the ones every write
 * passes: required means required, so a blank or whitespace-only value is refused for a required column as null is,
 * and every refusal is worded with the column's label ("Name is required: it can't be empty."). Apps' own writes keep
 * the SDK's rules (an empty string is text), so existing apps behave as before.
 */

/** `json`: values already typed (the API's JSON); `text`: values as typed in a form or a CSV cell, converted here. */
export type OwnerFormat = "json" | "text";

/** A row the owner may write, or every problem that stops it. */
export interface OwnerRowCheck {
  row: Record<string, DataValue>;
  problems: string[];
}

const NEEDS: Record<ColumnType, string> = {
  text: "text",
  integer: "a whole number, like 42",
  number: "a number, like 4.5",
  boolean: "yes or no (true or false)",
  json: 'JSON data, like ["a", "b"] or {"size": 2}',
  datetime: "a date and time, like 2026-11-21T09:30:00Z (or a date, like 2026-11-21)",
};

/** Checks an owner's row (or the changed columns of one); the problems name each column by its label. */
export function checkOwnerRow(
  table: CompiledTable,
  input: unknown,
  mode: "insert" | "update",
  format: OwnerFormat,
): OwnerRowCheck {
  if (!isPlainObject(input)) {
    const example = table.columnNames[0] ?? "name";
    throw new DataError("invalid", `Send the row as an object of column values, like { "${example}": ... }.`);
  }
  const row: Record<string, DataValue> = {};
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    const column = Object.hasOwn(table.columns, name) ? table.columns[name] : undefined;
    if (!column) {
      problems.push(
        (SYSTEM_COLUMNS as readonly string[]).includes(name)
          ? `${columnLabel(name)} is set by Kiln; leave it out.`
          : `'${table.name}' has no column '${name}'; ${columnList(table)}.`,
      );
      continue;
    }
    const checked = ownerValue(name, column, raw, mode, format);
    if ("problem" in checked) problems.push(checked.problem);
    else if ("value" in checked) row[name] = checked.value;
  }
  if (mode === "insert") {
    for (const [name, column] of Object.entries(table.columns)) {
      if (input[name] === undefined && !column.optional && column.default === null && !problems.some(mentions(name)))
        problems.push(requiredProblem(name));
    }
  }
  return { row, problems };
}

/** Like `checkOwnerRow`, but throws one `invalid` error listing every problem (what the API answers). */
export function ownerRow(
  table: CompiledTable,
  input: unknown,
  mode: "insert" | "update",
  format: OwnerFormat,
): Record<string, DataValue> {
  const { row, problems } = checkOwnerRow(table, input, mode, format);
  if (problems.length === 1) throw new DataError("invalid", problems[0] ?? "", { problems });
  if (problems.length > 1) throw new DataError("invalid", problems.join(" "), { problems });
  return row;
}

type Checked = { value: DataValue } | { problem: string } | { omit: true };

/** One value: blank → empty (or the default, or refused when required), then converted from text and type-checked. */
export function ownerValue(
  name: string,
  column: ColumnDefinition,
  raw: unknown,
  mode: "insert" | "update",
  format: OwnerFormat,
): Checked {
  if (format === "text" && raw !== null && typeof raw !== "string")
    return { problem: `${columnLabel(name)} needs ${NEEDS[column.type]}; got ${describeValue(raw)}.` };
  const blank = raw === null || (typeof raw === "string" && raw.trim() === "" && column.type !== "json");
  if (blank || (format === "text" && typeof raw === "string" && raw.trim() === "")) {
    if (column.optional) return { value: null };
    if (mode === "insert" && column.default !== null) return { omit: true };
    return { problem: requiredProblem(name) };
  }
  const value = format === "text" && typeof raw === "string" ? fromText(column.type, raw) : raw;
  const problem = value === undefined ? "unreadable" : valueProblem(column.type, value);
  if (problem !== null || value === undefined)
    return { problem: `${columnLabel(name)} needs ${NEEDS[column.type]}; ${describeValue(raw)} isn't one.` };
  return { value: value as DataValue };
}

/** The refusal of an empty required value, in the words the Data tab shows next to the cell. */
export function requiredProblem(name: string): string {
  return `${columnLabel(name)} is required: it can't be empty.`;
}

/** Text as typed (a form field, a CSV cell) → the column's value; undefined when it does not read as one. */
export function fromText(type: ColumnType, text: string): unknown {
  const trimmed = text.trim();
  switch (type) {
    case "text":
      return text;
    case "integer":
    case "number": {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return undefined;
      const number = Number(trimmed);
      return Number.isFinite(number) ? number : undefined;
    }
    case "boolean": {
      const word = trimmed.toLowerCase();
      if (["true", "yes", "1", "y"].includes(word)) return true;
      if (["false", "no", "0", "n"].includes(word)) return false;
      return undefined;
    }
    case "json":
      try {
        return JSON.parse(trimmed);
      } catch {
        return undefined;
      }
    case "datetime":
      return isIsoDateTime(trimmed) ? trimmed : undefined;
  }
}

function mentions(name: string): (problem: string) => boolean {
  const label = columnLabel(name);
  return (problem) => problem.startsWith(`${label} `);
}
