import { loadFromApi, seg } from "$lib/server/api";
import type { Environment, LogEntry, LogLevel, RequestPage, RequestSummary } from "$shapes";
import type { PageServerLoad } from "./$types";

/** The Logs tab's level filter: "" all levels, else that level and anything more severe (the API's `minLevel`). */
type LogLevelFilter = Extract<LogLevel, "info" | "warn" | "error"> | "";

const PAGE = 100;
const MAX = 500;

export const load: PageServerLoad = async (event) => {
  const q = event.url.searchParams;
  const envParam = q.get("env");
  const env: Environment | "" = envParam === "preview" || envParam === "live" ? envParam : "";
  const levelParam = q.get("level");
  const level: LogLevelFilter =
    levelParam === "info" || levelParam === "warn" || levelParam === "error" ? levelParam : "";
  const requestId = (q.get("requestId") ?? "").trim().slice(0, 64);
  const asked = Number.parseInt(q.get("limit") ?? "", 10);
  const limit = Number.isFinite(asked) && asked > 0 ? Math.min(asked, MAX) : PAGE;

  // The same filters, without paging: what the browser's live tail asks for (plus `after`).
  const filters = new URLSearchParams();
  if (env) filters.set("env", env);
  if (level) filters.set("minLevel", level);
  if (requestId) filters.set("requestId", requestId);
  const query = new URLSearchParams(filters);
  query.set("limit", String(limit));
  // The request log and its chart, under the same environment filter (`range`, `rerrors`, `rbefore`: their own).
  const rangeParam = q.get("range");
  const range = rangeParam === "24h" || rangeParam === "7d" ? rangeParam : "1h";
  const errorsOnly = q.get("rerrors") === "server";
  const requestQuery = new URLSearchParams({ limit: "50" });
  const summaryQuery = new URLSearchParams({ range });
  if (env) {
    requestQuery.set("env", env);
    summaryQuery.set("env", env);
  }
  if (errorsOnly) requestQuery.set("errors", "server");
  const before = Number.parseInt(q.get("rbefore") ?? "", 10);
  if (Number.isFinite(before) && before > 0) requestQuery.set("before", String(before));
  const base = `/api/apps/${seg(event.params.id)}`;
  const [{ logs }, requests, summary] = await Promise.all([
    loadFromApi<{ logs: LogEntry[] }>(event, `${base}/logs?${query}`),
    loadFromApi<RequestPage>(event, `${base}/requests?${requestQuery}`),
    loadFromApi<RequestSummary>(event, `${base}/requests/summary?${summaryQuery}`),
  ]);

  return {
    logs,
    requests: { ...requests, summary, range, errorsOnly } as const,
    filters: { env, level, requestId, limit },
    tailQuery: filters.toString(),
    canShowMore: logs.length >= limit && limit < MAX,
    step: PAGE,
  };
};
