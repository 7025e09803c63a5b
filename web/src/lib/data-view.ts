// The Data tab's state, all of it in the URL (table, paging, sort, search, filter, the cell or row being edited), so
// every view can be linked, survives a reload and works without JavaScript. Pure, so the workerd tests cover it.
import type { Environment, GridFilterOp, SortOrder } from "$shapes";

/** Page sizes the grid offers; the first is the default. */
export const PAGE_SIZES = [50, 25, 100, 200] as const;

/** Filter operations the grid offers, with the words it shows. */
export const FILTER_OPS: ReadonlyArray<{ value: GridFilterOp; label: string }> = [
  { value: "contains", label: "contains" },
  { value: "equals", label: "is" },
  { value: "empty", label: "is empty" },
];

/** The one column filter the grid's form sets (`fcol`, `fop`, `fval` in the URL). */
export interface ViewFilter {
  column: string;
  op: GridFilterOp;
  value: string;
}

/** Everything the Data tab's URL says. */
export interface DataView {
  env: Environment;
  table: string;
  offset: number;
  size: number;
  sort: string;
  order: SortOrder;
  q: string;
  filter: ViewFilter | null;
  editRow: number | null;
  deleteRow: number | null;
  adding: boolean;
  /** The cell open for editing without JavaScript (`cell=<row id>:<column>`). */
  cell: { rowId: number; column: string } | null;
  importing: boolean;
}

/** Reads the view from a URL; anything malformed falls back to the default rather than failing the page. */
export function readDataView(url: URL): DataView {
  const q = url.searchParams;
  const whole = (name: string, min: number) => {
    const n = Number.parseInt(q.get(name) ?? "", 10);
    return Number.isSafeInteger(n) && n >= min ? n : null;
  };
  const size = whole("size", 1);
  const op = q.get("fop");
  const column = (q.get("fcol") ?? "").trim();
  const known = FILTER_OPS.find((candidate) => candidate.value === op);
  const value = q.get("fval") ?? "";
  const cell = /^(\d+):([A-Za-z][A-Za-z0-9_]*)$/.exec(q.get("cell") ?? "");
  return {
    env: q.get("env") === "live" ? "live" : "preview",
    table: (q.get("table") ?? "").trim(),
    offset: whole("offset", 0) ?? 0,
    size: PAGE_SIZES.find((candidate) => candidate === size) ?? PAGE_SIZES[0],
    sort: (q.get("sort") ?? "").trim(),
    order: q.get("order") === "desc" ? "desc" : "asc",
    q: (q.get("q") ?? "").trim(),
    filter:
      column && known && (known.value === "empty" || value.trim() !== "") ? { column, op: known.value, value } : null,
    editRow: whole("edit", 1),
    deleteRow: whole("delete", 1),
    adding: q.get("add") === "1",
    cell: cell ? { rowId: Number(cell[1]), column: cell[2] ?? "" } : null,
    importing: q.get("import") === "1",
  };
}

/** The API's query for one page of the view's rows (`GET /api/apps/:id/data/:table?…`). */
export function rowsQuery(view: DataView): URLSearchParams {
  const query = new URLSearchParams({
    env: view.env,
    limit: String(view.size),
    offset: String(view.offset),
    order: view.order,
  });
  if (view.sort) query.set("orderBy", view.sort);
  if (view.q) query.set("q", view.q);
  if (view.filter) query.append("filter", `${view.filter.column}:${view.filter.op}:${view.filter.value}`);
  return query;
}

/** "Rows 51–100 of 1,234", with the matches and the whole table's count when a search or filter narrows it. */
export function rowsSummary(offset: number, shown: number, total: number, tableTotal: number): string {
  const n = (value: number) => value.toLocaleString("en-US");
  const range = total === 0 ? "No rows" : `Rows ${n(offset + 1)}–${n(offset + shown)} of ${n(total)}`;
  return total === tableTotal ? range : `${range} matching (${n(tableTotal)} in the table)`;
}
