import type { GridFilter } from "../core/api-shapes/data";
import { columnLabel } from "../core/column-label";
import type { StoredValue } from "./column-values";
import { encodeValue } from "./column-values";
import { columnList, decodeRow, requireColumn, type CompiledTable } from "./compiled-schema";
import { buildListQuery, type WhereClause } from "./list-options";
import { fromText } from "./owner-values";
import { DataError } from "./result";
import { quoteName } from "./sql-layout";
import type { AdminListOptions, RowPage } from "./store-types";

/**
 * The Data tab's search box and column filters, as SQL the app's own `list()` never sees: every column is looked up in
 * the table's declared schema (so a name not in it is refused, and only quoted declared names reach the SQL) and every
 * value travels as a `?` parameter, LIKE patterns escaped.
 */

/** At most this many filters at once (the UI offers one; scripts may combine a few). */
export const MAX_GRID_FILTERS = 5;

/** Longest search text or filter value, in characters. */
export const MAX_GRID_TEXT = 200;

/** One page of the owner's view of a table: rows matching the search and filters, their number, and the table's. */
export function listGridRows(sql: SqlStorage, table: CompiledTable, options: AdminListOptions | undefined): RowPage {
  const { search, filters, ...paging } = options ?? {};
  const query = buildListQuery(table, paging);
  const where = bothWhere(query.where, gridWhere(table, search, filters));
  const rows = sql
    .exec(`SELECT * FROM ${table.sql}${where.sql}${query.tail}`, ...where.params, ...query.tailParams)
    .toArray()
    .map((row) => decodeRow(table, row));
  const count = (clause: WhereClause) => sql.exec<{ n: number }>(table.countAll + clause.sql, ...clause.params).one().n;
  const tableTotal = count({ sql: "", params: [] });
  return { rows, total: where.sql === "" ? tableTotal : count(where), tableTotal };
}

/** The WHERE clause of a search over the table's text columns and filters on any of its columns. */
export function gridWhere(table: CompiledTable, search: unknown, filters: unknown): WhereClause {
  const conditions: string[] = [];
  const params: StoredValue[] = [];
  const text = typeof search === "string" ? search.trim() : "";
  if (search !== undefined && typeof search !== "string") throw new DataError("invalid", "Search for text.");
  if (text !== "") {
    limitText("The search", text);
    const textColumns = Object.entries(table.columns)
      .filter(([, column]) => column.type === "text")
      .map(([name]) => name);
    if (textColumns.length === 0)
      throw new DataError(
        "invalid",
        `'${table.name}' has no text columns to search; filter one of its columns instead (${columnList(table)}).`,
      );
    conditions.push(`(${textColumns.map((name) => `${quoteName(name)} LIKE ? ESCAPE '\\'`).join(" OR ")})`);
    for (const _ of textColumns) params.push(`%${escapeLike(text)}%`);
  }
  const list = filters === undefined ? [] : filters;
  if (!Array.isArray(list)) throw new DataError("invalid", "Filters must be a list.");
  if (list.length > MAX_GRID_FILTERS)
    throw new DataError("invalid", `Use at most ${MAX_GRID_FILTERS} filters at once; this asked for ${list.length}.`);
  for (const filter of list as GridFilter[]) {
    const condition = filterCondition(table, filter);
    conditions.push(condition.sql);
    params.push(...condition.params);
  }
  return { sql: conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "", params };
}

/** Both clauses at once (a `where` passed the way `list()` takes it, and the grid's search and filters). */
function bothWhere(first: WhereClause, second: WhereClause): WhereClause {
  if (first.sql === "") return second;
  if (second.sql === "") return first;
  return { sql: `${first.sql} AND ${second.sql.slice(" WHERE ".length)}`, params: [...first.params, ...second.params] };
}

function filterCondition(table: CompiledTable, filter: GridFilter): WhereClause {
  if (typeof filter !== "object" || filter === null || typeof filter.column !== "string")
    throw new DataError("invalid", "A filter names a column, an operation and a value.");
  const column = requireColumn(table, filter.column, `filter by '${filter.column}'`);
  const name = quoteName(filter.column);
  const label = columnLabel(filter.column);
  const value = typeof filter.value === "string" ? filter.value : "";
  limitText(`The filter on ${label}`, value);
  switch (filter.op) {
    case "empty":
      return { sql: `(${name} IS NULL OR ${name} = '')`, params: [] };
    case "contains": {
      if (column.type === "boolean")
        throw new DataError("invalid", `${label} is yes or no: filter it with "equals" instead of "contains".`);
      if (value.trim() === "") throw new DataError("invalid", `Say what ${label} should contain.`);
      return { sql: `CAST(${name} AS TEXT) LIKE ? ESCAPE '\\'`, params: [`%${escapeLike(value.trim())}%`] };
    }
    case "equals": {
      const typed = fromText(column.type, value);
      if (typed === undefined || (column.type !== "text" && value.trim() === ""))
        throw new DataError(
          "invalid",
          `Can't filter ${label} by ${JSON.stringify(value)}: it holds ${column.type === "boolean" ? "yes or no" : `${column.type} values`}.`,
        );
      if (column.type === "json") return { sql: `${name} = ?`, params: [JSON.stringify(typed)] };
      return { sql: `${name} = ?`, params: [encodeValue(column.type, typed)] };
    }
    default:
      throw new DataError(
        "invalid",
        `Unknown filter '${String(filter.op)}' on ${label}; use equals, contains or empty.`,
      );
  }
}

function limitText(what: string, text: string): void {
  if (text.length > MAX_GRID_TEXT)
    throw new DataError("invalid", `${what} is too long (${text.length} characters; at most ${MAX_GRID_TEXT}).`);
}

/** `50%_off\` → `50\%\_off\\`, so LIKE matches the text literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
