import type { ColumnType, JsonValue } from "../../sdk/kiln/index";

/** What a declared column holds in SQLite: booleans as 0/1, json as text, datetimes as ISO text. */
export type StoredValue = string | number | null;

/**
 * A value of a row as the app sees it: a JSON value, with lists and objects typed as `object`
 * because the recursive `JsonValue` makes TypeScript's RPC stub types "excessively deep".
 */
export type DataValue = string | number | boolean | null | object;

/** A row as the app sees it: system columns plus decoded declared columns. Plain data for RPC. */
export type DataRow = Record<string, DataValue>;

const EXPECTATIONS: Record<ColumnType, string> = {
  text: "expects text",
  integer: "expects a whole number",
  number: "expects a number",
  boolean: "expects true or false",
  json: "expects JSON data (text, numbers, true/false, null, lists or objects)",
  datetime: `expects a date-time as ISO-8601 text like "2026-11-21T09:30:00Z" (or a Date)`,
};

const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
const MAX_JSON_DEPTH = 64;

/**
 * Explains why `value` (non-null) does not fit a column of `type`, e.g.
 * `expects true or false, got "yes"`; null when it fits. Shared by row writes and schema defaults.
 */
export function valueProblem(type: ColumnType, value: unknown): string | null {
  if (fits(type, value)) return null;
  return `${EXPECTATIONS[type]}, got ${describeValue(value)}`;
}

function fits(type: ColumnType, value: unknown): boolean {
  switch (type) {
    case "text":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "json":
      return isJsonValue(value, 0);
    case "datetime":
      return (
        (value instanceof Date && !Number.isNaN(value.getTime())) || (typeof value === "string" && isIsoDateTime(value))
      );
  }
}

/** True for ISO-8601 dates and date-times with a real calendar day ("2026-02-30" is refused). */
export function isIsoDateTime(text: string): boolean {
  const match = ISO_DATETIME.exec(text);
  if (!match || Number.isNaN(Date.parse(text))) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
}

function isJsonValue(value: unknown, depth: number): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || depth > MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => isJsonValue(item, depth + 1));
}

/** Converts an already-checked, non-null value into what SQLite stores for `type`. */
export function encodeValue(type: ColumnType, value: unknown): StoredValue {
  switch (type) {
    case "boolean":
      return value === true ? 1 : 0;
    case "json":
      return JSON.stringify(value);
    case "datetime":
      return value instanceof Date ? value.toISOString() : String(value);
    default:
      return typeof value === "number" || typeof value === "string" ? value : String(value);
  }
}

/** Converts what SQLite returned for a column of `type` back into the app's value. */
export function decodeValue(type: ColumnType, stored: SqlStorageValue): JsonValue {
  if (stored === null) return null;
  if (stored instanceof ArrayBuffer) return null;
  if (type === "boolean") return stored === 1 ? true : stored === 0 ? false : stored;
  if (type === "json" && typeof stored === "string") {
    try {
      return JSON.parse(stored) as JsonValue;
    } catch {
      return stored;
    }
  }
  return stored;
}

/** A short, quoted rendering of a value for error messages ("yes" → `"yes"`, [1] → `a list`). */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing (undefined)";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : "a Date";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}
