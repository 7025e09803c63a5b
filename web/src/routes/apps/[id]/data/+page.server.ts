import { fail, redirect } from "@sveltejs/kit";
import { readDataView, rowsQuery } from "$lib/data-view";
import { callApi, failWith, loadFromApi, raise, rawField, seg, textField } from "$lib/server/api";
import { readRowForm } from "$lib/row-form";
import type { AppFilesPage, Column, DataOverview, Environment, ImportPreview, RowsPage } from "$shapes";
import type { Actions, PageServerLoad, RequestEvent } from "./$types";

/** What a write did, shown once after the redirect that follows it. */
type WriteKind = "inserted" | "updated" | "deleted" | "imported";
const WRITE_KINDS: readonly WriteKind[] = ["inserted", "updated", "deleted", "imported"];

/** Files per page of the Data tab's file list. */
const FILES_PAGE = 100;

/** Largest CSV the import form takes (the API's limit too). */
const MAX_CSV_BYTES = 2 * 1024 * 1024;

/** A datetime-local input's value (no zone): the grid shows and takes times in UTC. */
const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

export const load: PageServerLoad = async (event) => {
  const view = readDataView(event.url);
  const id = seg(event.params.id);
  const rowPath = (rowId: number) => `/api/apps/${id}/data/${seg(view.table)}/${rowId}?env=${view.env}`;
  const focusRow = view.editRow ?? view.deleteRow;
  const filesFrom = Math.max(0, Number.parseInt(event.url.searchParams.get("filesFrom") ?? "", 10) || 0);
  const filesPath = (offset: number) =>
    `/api/apps/${id}/files?${new URLSearchParams({ environment: view.env, offset: String(offset), limit: String(FILES_PAGE) })}`;

  const [overview, rows, row, files] = await Promise.all([
    loadFromApi<DataOverview>(event, `/api/apps/${id}/data?env=${view.env}`),
    view.table ? callApi<RowsPage>(event, "GET", `/api/apps/${id}/data/${seg(view.table)}?${rowsQuery(view)}`) : null,
    view.table && focusRow ? callApi<Record<string, unknown>>(event, "GET", rowPath(focusRow)) : null,
    callApi<AppFilesPage>(event, "GET", filesPath(filesFrom)),
  ]);
  // Past the end (the last file of the last page deleted): the last page there is.
  const lastFiles = files.ok ? Math.floor(Math.max(files.data.total - 1, 0) / FILES_PAGE) * FILES_PAGE : 0;
  const filesPage =
    files.ok && files.data.files.length === 0 && filesFrom > 0
      ? await callApi<AppFilesPage>(event, "GET", filesPath(lastFiles))
      : files;

  let page: RowsPage | null = null;
  let rowsError: string | null = null;
  if (rows?.ok) page = rows.data;
  else if (rows && rows.status === 401) raise(event, rows);
  else if (rows) rowsError = rows.message;

  const q = event.url.searchParams;
  const doneParam = q.get("done");
  const count = (name: string) => Number.parseInt(q.get(name) ?? "", 10) || 0;
  return {
    ...view,
    tables: overview.tables,
    selected: overview.tables.find((t) => t.name === view.table) ?? null,
    rows: page,
    rowsError,
    focusedRow: row?.ok ? row.data : null,
    focusedRowError: row && !row.ok ? row.message : null,
    done: WRITE_KINDS.find((kind) => kind === doneParam) ?? null,
    doneRow: Number.parseInt(q.get("row") ?? "", 10) || null,
    imported: { added: count("added"), changed: count("changed") },
    pageSize: view.size,
    files: filesPage.ok ? filesPage.data : null,
    filesPageSize: FILES_PAGE,
    deleteFile: q.get("deleteFile"),
    deletedFile: q.get("deletedFile"),
  };
};

/** Where to go after a write: the same table view, with the form closed and what happened. */
function after(event: RequestEvent, done: WriteKind, extra: Record<string, unknown>): never {
  const url = new URL(event.url);
  for (const key of [...url.searchParams.keys()]) if (key.startsWith("/")) url.searchParams.delete(key);
  for (const key of ["edit", "add", "delete", "cell", "import", "row", "added", "changed"])
    url.searchParams.delete(key);
  url.searchParams.set("done", done);
  for (const [key, value] of Object.entries(extra))
    if (typeof value === "number") url.searchParams.set(key, String(value));
  redirect(303, `${url.pathname}?${url.searchParams}`);
}

async function columnsOf(event: RequestEvent, env: Environment, table: string): Promise<Column[] | null> {
  const overview = await callApi<DataOverview>(event, "GET", `/api/apps/${seg(event.params.id)}/data?env=${env}`);
  if (!overview.ok) return null;
  return overview.data.tables.find((t) => t.name === table)?.columns ?? null;
}

const tablePath = (event: RequestEvent, table: string) => `/api/apps/${seg(event.params.id)}/data/${seg(table)}`;

/**
 * The CSV of the import form: the uploaded file, else what the confirm step sends back — as base64, because a
 * form field turns the file's line ends into CRLF, and the import is keyed by the very bytes previewed.
 */
async function csvOf(form: FormData): Promise<string | { tooLarge: number }> {
  const file = form.get("file");
  if (file instanceof File && file.size > 0)
    return file.size > MAX_CSV_BYTES ? { tooLarge: file.size } : await file.text();
  const encoded = rawField(form, "csv64");
  if (encoded.length > (MAX_CSV_BYTES * 4) / 3 + 4) return { tooLarge: Math.floor((encoded.length * 3) / 4) };
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)));
  } catch {
    return "";
  }
}

/** The CSV as base64 for the confirm form's hidden field (in pieces: a 2 MB spread would overflow the stack). */
function base64Of(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const actions = {
  /** Adds a row (no `rowId`) or saves an edited one. */
  save: async (event) => {
    const { env, table } = readDataView(event.url);
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

    const base = tablePath(event, table);
    const result = rowId
      ? await callApi<Record<string, unknown>>(event, "PATCH", `${base}/${rowId}?env=${env}`, values)
      : await callApi<Record<string, unknown>>(event, "POST", `${base}?env=${env}`, values);
    if (!result.ok) return failWith(event, result, editor(`Nothing was saved: ${result.message}`));
    after(event, rowId ? "updated" : "inserted", { row: result.data.id });
  },

  /** Saves one cell edited in place; the API converts the text and refuses it in words, kept beside the cell. */
  cell: async (event) => {
    const { env, table } = readDataView(event.url);
    const form = await event.request.formData();
    const rowId = Number.parseInt(textField(form, "rowId"), 10);
    const column = textField(form, "column");
    const typed = form.has("boolean") ? (form.get("value") === "true" ? "true" : "false") : rawField(form, "value");
    const refused = (message: string) => ({ cell: { rowId, column, message, value: typed } });
    if (!Number.isSafeInteger(rowId) || rowId <= 0 || !column) return fail(400, refused("Pick a cell to edit."));
    const value = form.get("utc") === "1" && LOCAL_DATETIME.test(typed.trim()) ? `${typed.trim()}Z` : typed;
    const path = `${tablePath(event, table)}/${rowId}?env=${env}&format=text`;
    const result = await callApi<Record<string, unknown>>(event, "PATCH", path, { [column]: value });
    if (!result.ok) return failWith(event, result, refused(result.message));
    after(event, "updated", { row: rowId });
  },

  /** Reads an uploaded CSV and answers what importing it would change, without changing anything. */
  importPreview: async (event) => {
    const { env, table } = readDataView(event.url);
    const csv = await csvOf(await event.request.formData());
    if (typeof csv !== "string")
      return fail(413, {
        importError: `The file is too large (${(csv.tooLarge / 1048576).toFixed(1)} MB; at most 2 MB). Split it into smaller files.`,
      });
    if (csv.trim() === "") return fail(400, { importError: "Choose a CSV file to import." });
    const result = await callApi<ImportPreview>(event, "POST", `${tablePath(event, table)}/import?env=${env}`, { csv });
    if (!result.ok) return failWith(event, result, { importError: result.message });
    return { importPreview: result.data, csv64: base64Of(csv) };
  },

  /** Applies the previewed CSV (sent back by the confirm form) in one go; the same file twice adds its rows once. */
  importApply: async (event) => {
    const { env, table } = readDataView(event.url);
    const csv = await csvOf(await event.request.formData());
    if (typeof csv !== "string" || csv.trim() === "") return fail(400, { importError: "Upload the CSV again." });
    const path = `${tablePath(event, table)}/import?env=${env}`;
    const result = await callApi<ImportPreview>(event, "POST", path, { csv, apply: true });
    if (!result.ok) return failWith(event, result, { importError: result.message });
    after(event, "imported", { added: result.data.add, changed: result.data.update });
  },

  /** Deletes a row; the page asks for confirmation before showing this form's button. */
  delete: async (event) => {
    const { env, table } = readDataView(event.url);
    const form = await event.request.formData();
    const rowId = Number.parseInt(textField(form, "rowId"), 10);
    if (!Number.isSafeInteger(rowId) || rowId <= 0) return fail(400, { deleteError: "Pick a row to delete." });
    const result = await callApi<{ ok: true }>(event, "DELETE", `${tablePath(event, table)}/${rowId}?env=${env}`);
    if (!result.ok) return failWith(event, result, { deleteError: `Row ${rowId} was not deleted: ${result.message}` });
    after(event, "deleted", { row: rowId });
  },

  /** Deletes one stored file (`env.FILES`); the list asks for confirmation before showing this form's button. */
  deleteFile: async (event) => {
    const { env } = readDataView(event.url);
    const name = rawField(await event.request.formData(), "name");
    if (!name) return fail(400, { fileError: "Pick a file to delete." });
    const query = new URLSearchParams({ environment: env, name });
    const result = await callApi<{ deleted: true }>(
      event,
      "DELETE",
      `/api/apps/${seg(event.params.id)}/files?${query}`,
    );
    if (!result.ok) return failWith(event, result, { fileError: `${name} was not deleted: ${result.message}` });
    const url = new URL(event.url);
    for (const key of [...url.searchParams.keys()]) if (key.startsWith("/")) url.searchParams.delete(key);
    for (const key of ["deleteFile", "done", "row"]) url.searchParams.delete(key);
    url.searchParams.set("deletedFile", name);
    redirect(303, `${url.pathname}?${url.searchParams}#files-heading`);
  },
} satisfies Actions;
