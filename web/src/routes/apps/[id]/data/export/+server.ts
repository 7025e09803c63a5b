// A whole table as CSV: pages through the data API (ordered by id, so rows
// stay in a stable order) and streams the records as they arrive, so a big
// table never sits in memory at once.
import { error, redirect } from "@sveltejs/kit";
import { csvFileName, csvRecord, csvRows } from "$lib/csv";
import { callApi, seg, signInUrl, type ApiProblem } from "$lib/server/api";
import type { AppDetail, DataOverview, Environment, RowsPage } from "$shapes";
import type { RequestHandler } from "./$types";

/** Rows read per API call (the API's maximum). */
const BATCH = 1000;

export const GET: RequestHandler = async (event) => {
  const env: Environment = event.url.searchParams.get("env") === "live" ? "live" : "preview";
  const table = (event.url.searchParams.get("table") ?? "").trim();
  if (!table) error(400, { message: "Say which table to download (?table=…)." });
  const id = seg(event.params.id);

  const [app, overview] = await Promise.all([
    callApi<AppDetail>(event, "GET", `/api/apps/${id}`),
    callApi<DataOverview>(event, "GET", `/api/apps/${id}/data?env=${env}`),
  ]);
  if (!app.ok) stop(event, app);
  if (!overview.ok) stop(event, overview);
  const described = overview.data.tables.find((t) => t.name === table);
  if (!described) error(404, { message: `The ${env} database has no table '${table}'.` });

  const rowsPath = (offset: number) =>
    `/api/apps/${id}/data/${seg(table)}?env=${env}&orderBy=id&order=asc&limit=${BATCH}&offset=${offset}`;
  const first = await callApi<RowsPage>(event, "GET", rowsPath(0));
  if (!first.ok) stop(event, first);

  const declared = described.columns.map((c) => c.name);
  const columns = ["id", ...declared.filter((name) => name !== "id"), "created_at", "updated_at"];
  const encoder = new TextEncoder();
  let offset = 0;
  let page: RowsPage | null = first.data;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRecord(columns)));
    },
    async pull(controller) {
      if (!page) {
        const next = await callApi<RowsPage>(event, "GET", rowsPath(offset));
        if (!next.ok) {
          controller.error(new Error(`Reading rows ${offset + 1}… of '${table}' failed: ${next.message}`));
          return;
        }
        page = next.data;
      }
      if (page.rows.length > 0) controller.enqueue(encoder.encode(csvRows(columns, page.rows)));
      offset += page.rows.length;
      const finished = page.rows.length < BATCH;
      page = null;
      if (finished) controller.close();
    },
  });

  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${csvFileName(app.data.slug, table, env)}"`,
      "cache-control": "no-store",
    },
  });
};

function stop(event: Parameters<RequestHandler>[0], problem: ApiProblem): never {
  if (problem.status === 401) redirect(303, signInUrl(event.url));
  error(problem.status >= 400 && problem.status <= 599 ? problem.status : 500, { message: problem.message });
}
