// Listing records in the Airtable fake: a view's and the request's
// `filterByFormula` and sort, `maxRecords`, and pages of `pageSize` with
// Airtable's `offset` continuation ("itr…/rec…").
import { apiError, newId } from "./errors.ts";
import { compileFormula, FormulaError, type FormulaValue } from "./formula.ts";
import { type ReadParams, type RecordJson, recordJson } from "./record-json.ts";
import { fieldOf, type SortSpec, type Table } from "./state.ts";

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

/** The ids of the records a list asks for: the view's and the request's filter and sort, cut to `maxRecords`. */
function matching(table: Table, params: ListParams): string[] {
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
    id: fieldOf(table, spec.field).id,
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

/**
 * One page of `GET /v0/{baseId}/{table}`, with Airtable's `offset` continuation: `iterators` keeps each
 * list's matching record ids by iterator id, so later pages read the list as it was when it began.
 */
export function listPage(
  iterators: Map<string, string[]>,
  table: Table,
  params: ListParams,
): { records: RecordJson[]; offset?: string } {
  const only = params.fields && new Set(params.fields.map((name) => fieldOf(table, name).id));
  let iteratorId: string;
  let ids: string[];
  let start = 0;
  if (params.offset !== undefined) {
    const [itr, recordId] = params.offset.split("/");
    const stored = iterators.get(itr);
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
    ids = matching(table, params);
    iterators.set(iteratorId, ids);
  }
  const pageIds = ids.slice(start, start + params.pageSize);
  const records = pageIds.flatMap((id) => {
    const record = table.records.get(id);
    return record ? [recordJson(table, record, params, only)] : [];
  });
  const next = ids[start + params.pageSize];
  return next === undefined ? { records } : { records, offset: `${iteratorId}/${next}` };
}

/** Blanks first, numbers by value, text alphabetically. */
function compareCells(a: FormulaValue | undefined, b: FormulaValue | undefined): number {
  const blankA = a === undefined || a === null || a === "";
  const blankB = b === undefined || b === null || b === "";
  if (blankA || blankB) return blankA === blankB ? 0 : blankA ? -1 : 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}
