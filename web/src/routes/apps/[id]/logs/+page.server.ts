import { loadFromApi, seg } from "$lib/server/api";
import type { Environment, LogEntry } from "$lib/types";
import type { PageServerLoad } from "./$types";

const PAGE = 100;
const MAX = 1000;

export const load: PageServerLoad = async (event) => {
  const q = event.url.searchParams;
  const envParam = q.get("env");
  const env: Environment | "" = envParam === "preview" || envParam === "live" ? envParam : "";
  const requestId = (q.get("requestId") ?? "").trim();
  const asked = Number.parseInt(q.get("limit") ?? "", 10);
  const limit = Number.isFinite(asked) && asked > 0 ? Math.min(asked, MAX) : PAGE;

  const query = new URLSearchParams({ limit: String(limit) });
  if (env) query.set("env", env);
  if (requestId) query.set("requestId", requestId);
  const { logs } = await loadFromApi<{ logs: LogEntry[] }>(event, `/api/apps/${seg(event.params.id)}/logs?${query}`);

  return { logs, filters: { env, requestId, limit }, canShowMore: logs.length >= limit && limit < MAX, step: PAGE };
};
