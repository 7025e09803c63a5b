import { describeValue, encodeValue, valueProblem, type StoredValue } from "./column-values";
import { requireColumn, type CompiledTable } from "./compiled-schema";
import { DataError } from "./result";
import { quoteName } from "./sql-layout";

/** `list()` returns this many rows when the app does not say. */
export const DEFAULT_LIST_LIMIT = 100;

/** `list()` never returns more rows than this in one call; page with `offset`. */
export const MAX_LIST_LIMIT = 1000;

/** A validated WHERE clause: `sql` is empty or starts with " WHERE ". */
export interface WhereClause {
  sql: string;
  params: StoredValue[];
}

/** Validated `list()` options, ready to append to `SELECT * FROM table`. */
export interface ListQuery {
  where: WhereClause;
  /** " ORDER BY … LIMIT ? OFFSET ?" */
  tail: string;
  tailParams: number[];
}

const LIST_OPTION_NAMES = ["where", "orderBy", "order", "limit", "offset"];

/** Validates `where` (equality on columns; null matches empty values) for list and count. */
export function buildWhere(table: CompiledTable, where: unknown): WhereClause {
  if (where === undefined || where === null) return { sql: "", params: [] };
  if (!isPlainObject(where)) {
    throw new DataError(
      "invalid",
      `'where' for '${table.name}' must be an object of column values, like { done: false }; got ${describeValue(where)}.`,
    );
  }
  const conditions: string[] = [];
  const params: StoredValue[] = [];
  for (const [name, value] of Object.entries(where)) {
    if (value === undefined) continue;
    const column = requireColumn(table, name, `filter by '${name}'`);
    if (value === null) {
      conditions.push(`${quoteName(name)} IS NULL`);
      continue;
    }
    if (column.type === "json") {
      throw new DataError(
        "invalid",
        `Can't filter '${table.name}' by column '${name}': it holds JSON data; use query() with json_extract() instead.`,
      );
    }
    const problem = valueProblem(column.type, value);
    if (problem) throw new DataError("invalid", `Can't filter '${table.name}' by '${name}': the column ${problem}.`);
    conditions.push(`${quoteName(name)} = ?`);
    params.push(encodeValue(column.type, value));
  }
  return { sql: conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "", params };
}

/** Validates `list()` / `listRows()` options: unknown option names are refused to catch typos. */
export function buildListQuery(table: CompiledTable, options: unknown): ListQuery {
  if (options === undefined || options === null) options = {};
  if (!isPlainObject(options))
    throw new DataError(
      "invalid",
      `List options for '${table.name}' must be an object like { where: { done: false }, limit: 20 }.`,
    );
  for (const key of Object.keys(options)) {
    if (!LIST_OPTION_NAMES.includes(key)) {
      throw new DataError("invalid", `Unknown list option '${key}'; the options are ${LIST_OPTION_NAMES.join(", ")}.`);
    }
  }
  const orderBy = options.orderBy ?? "id";
  if (typeof orderBy !== "string")
    throw new DataError("invalid", `'orderBy' must be a column name, got ${describeValue(orderBy)}.`);
  requireColumn(table, orderBy, `order '${table.name}' by '${orderBy}'`);
  const order = options.order ?? "asc";
  if (order !== "asc" && order !== "desc")
    throw new DataError("invalid", `'order' must be "asc" or "desc", got ${describeValue(order)}.`);
  const direction = order === "asc" ? "ASC" : "DESC";
  const tieBreak = orderBy === "id" ? "" : `, id ${direction}`;
  return {
    where: buildWhere(table, options.where),
    tail: ` ORDER BY ${quoteName(orderBy)} ${direction}${tieBreak} LIMIT ? OFFSET ?`,
    tailParams: [
      pagingNumber("limit", options.limit, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT),
      pagingNumber("offset", options.offset, 0, Number.MAX_SAFE_INTEGER),
    ],
  };
}

/** Validates `limit` / `offset` for any listing (app tables and backup tables). */
export function pagingNumber(name: "limit" | "offset", value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > max) {
    const range =
      name === "limit" ? `from 0 to ${max} (default ${fallback}); page through more rows with 'offset'` : "0 or more";
    throw new DataError("invalid", `'${name}' must be a whole number ${range}; got ${describeValue(value)}.`);
  }
  return value;
}

/** True for `{…}` objects (what RPC delivers for object literals), false for arrays, dates, null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
