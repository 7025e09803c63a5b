import { callApi, loadFromApi, raise, seg } from "$lib/server/api";
import type { DataOverview, Environment, RowsPage } from "$lib/types";
import type { PageServerLoad } from "./$types";

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
  const q = event.url.searchParams;
  const env: Environment = q.get("env") === "live" ? "live" : "preview";
  const table = (q.get("table") ?? "").trim();
  const offsetParam = Number.parseInt(q.get("offset") ?? "0", 10);
  const offset = Number.isFinite(offsetParam) && offsetParam > 0 ? offsetParam : 0;
  const id = seg(event.params.id);

  const rowsQuery = new URLSearchParams({ env, limit: String(PAGE_SIZE), offset: String(offset) });
  const [overview, rows] = await Promise.all([
    loadFromApi<DataOverview>(event, `/api/apps/${id}/data?env=${env}`),
    table ? callApi<RowsPage>(event, "GET", `/api/apps/${id}/data/${seg(table)}?${rowsQuery}`) : null,
  ]);

  let page: RowsPage | null = null;
  let rowsError: string | null = null;
  if (rows && rows.ok) page = rows.data;
  else if (rows && rows.status === 401) raise(event, rows);
  else if (rows) rowsError = rows.message;

  return {
    env,
    tables: overview.tables,
    selected: overview.tables.find((t) => t.name === table) ?? null,
    table,
    rows: page,
    rowsError,
    pageSize: PAGE_SIZE,
  };
};
