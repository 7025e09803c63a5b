import { fail, redirect } from "@sveltejs/kit";
import { callApi, failWith, loadFromApi, raise, seg, textField } from "$lib/server/api";
import { readRowForm } from "$lib/row-form";
import type { Column, DataOverview, Environment, RowsPage, SortOrder } from "$shapes";
import type { Actions, PageServerLoad, RequestEvent } from "./$types";

const PAGE_SIZE = 50;

/** What a write did, shown once after the redirect that follows it. */
type WriteKind = "inserted" | "updated" | "deleted";

/** The data browser's state, all of it in the URL so every view can be linked and works without JavaScript. */
function readView(url: URL) {
  const q = url.searchParams;
  const env: Environment = q.get("env") === "live" ? "live" : "preview";
  const offsetParam = Number.parseInt(q.get("offset") ?? "0", 10);
  const rowParam = (name: string) => {
    const n = Number.parseInt(q.get(name) ?? "", 10);
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  };
  return {
    env,
    table: (q.get("table") ?? "").trim(),
    offset: Number.isFinite(offsetParam) && offsetParam > 0 ? offsetParam : 0,
    sort: (q.get("sort") ?? "").trim(),
    order: (q.get("order") === "desc" ? "desc" : "asc") as SortOrder,
    editRow: rowParam("edit"),
    deleteRow: rowParam("delete"),
    adding: q.get("add") === "1",
  };
}

export const load: PageServerLoad = async (event) => {
  const view = readView(event.url);
  const id = seg(event.params.id);
  const rowsQuery = new URLSearchParams({
    env: view.env,
    limit: String(PAGE_SIZE),
    offset: String(view.offset),
    order: view.order,
  });
  if (view.sort) rowsQuery.set("orderBy", view.sort);
  const rowPath = (rowId: number) => `/api/apps/${id}/data/${seg(view.table)}/${rowId}?env=${view.env}`;
  const focusRow = view.editRow ?? view.deleteRow;

  const [overview, rows, row] = await Promise.all([
    loadFromApi<DataOverview>(event, `/api/apps/${id}/data?env=${view.env}`),
    view.table ? callApi<RowsPage>(event, "GET", `/api/apps/${id}/data/${seg(view.table)}?${rowsQuery}`) : null,
    view.table && focusRow ? callApi<Record<string, unknown>>(event, "GET", rowPath(focusRow)) : null,
  ]);

  let page: RowsPage | null = null;
  let rowsError: string | null = null;
  if (rows?.ok) page = rows.data;
  else if (rows && rows.status === 401) raise(event, rows);
  else if (rows) rowsError = rows.message;

  const doneParam = event.url.searchParams.get("done");
  const done: WriteKind | null =
    doneParam === "inserted" || doneParam === "updated" || doneParam === "deleted" ? doneParam : null;
  return {
    ...view,
    tables: overview.tables,
    selected: overview.tables.find((t) => t.name === view.table) ?? null,
    rows: page,
    rowsError,
    focusedRow: row?.ok ? row.data : null,
    focusedRowError: row && !row.ok ? row.message : null,
    done,
    doneRow: Number.parseInt(event.url.searchParams.get("row") ?? "", 10) || null,
    pageSize: PAGE_SIZE,
  };
};

/** Where to go after a write: the same table view, with the form closed and what happened. */
function after(event: RequestEvent, done: WriteKind, rowId: unknown): never {
  const url = new URL(event.url);
  for (const key of [...url.searchParams.keys()]) if (key.startsWith("/")) url.searchParams.delete(key);
  for (const key of ["edit", "add", "delete"]) url.searchParams.delete(key);
  url.searchParams.set("done", done);
  if (typeof rowId === "number") url.searchParams.set("row", String(rowId));
  redirect(303, `${url.pathname}?${url.searchParams}`);
}

async function columnsOf(event: RequestEvent, env: Environment, table: string): Promise<Column[] | null> {
  const overview = await callApi<DataOverview>(event, "GET", `/api/apps/${seg(event.params.id)}/data?env=${env}`);
  if (!overview.ok) return null;
  return overview.data.tables.find((t) => t.name === table)?.columns ?? null;
}

export const actions = {
  /** Adds a row (no `rowId`) or saves an edited one. */
  save: async (event) => {
    const { env, table } = readView(event.url);
    const form = await event.request.formData();
    const rowIdText = textField(form, "rowId");
    const rowId = rowIdText ? Number.parseInt(rowIdText, 10) : null;
    const fields = Object.fromEntries(
      [...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
    const editor = (message: string, problems: string[] = []) => ({ editor: { rowId, message, problems, fields } });

    const columns = await columnsOf(event, env, table);
    if (!columns)
      return fail(404, editor(`The table '${table}' is not in the ${env} database any more. Reload the page.`));
    const { values, problems } = readRowForm(
      columns,
      (name) => (form.has(name) ? String(form.get(name)) : null),
      rowId ? "update" : "insert",
    );
    if (problems.length > 0)
      return fail(400, editor("Some values do not fit their columns. Nothing was saved.", problems));

    const base = `/api/apps/${seg(event.params.id)}/data/${seg(table)}`;
    const result = rowId
      ? await callApi<Record<string, unknown>>(event, "PATCH", `${base}/${rowId}?env=${env}`, values)
      : await callApi<Record<string, unknown>>(event, "POST", `${base}?env=${env}`, values);
    if (!result.ok) return failWith(event, result, editor(`Nothing was saved: ${result.message}`));
    after(event, rowId ? "updated" : "inserted", result.data.id);
  },

  /** Deletes a row; the page asks for confirmation before showing this form's button. */
  delete: async (event) => {
    const { env, table } = readView(event.url);
    const form = await event.request.formData();
    const rowId = Number.parseInt(textField(form, "rowId"), 10);
    if (!Number.isSafeInteger(rowId) || rowId <= 0) return fail(400, { deleteError: "Pick a row to delete." });
    const result = await callApi<{ ok: true }>(
      event,
      "DELETE",
      `/api/apps/${seg(event.params.id)}/data/${seg(table)}/${rowId}?env=${env}`,
    );
    if (!result.ok) return failWith(event, result, { deleteError: `Row ${rowId} was not deleted: ${result.message}` });
    after(event, "deleted", rowId);
  },
} satisfies Actions;
