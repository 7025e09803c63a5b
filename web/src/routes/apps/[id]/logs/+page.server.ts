import { loadFromApi, seg } from "$lib/server/api";
import type { Environment, LogEntry, LogLevel } from "$shapes";
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
  const { logs } = await loadFromApi<{ logs: LogEntry[] }>(event, `/api/apps/${seg(event.params.id)}/logs?${query}`);

  return {
    logs,
    filters: { env, level, requestId, limit },
    tailQuery: filters.toString(),
    canShowMore: logs.length >= limit && limit < MAX,
    step: PAGE,
  };
};
