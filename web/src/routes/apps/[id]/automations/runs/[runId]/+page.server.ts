import { error } from "@sveltejs/kit";
import { loadFromApi, seg } from "$lib/server/api";
import type { RunDetail } from "$shapes";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async (event) => {
  event.depends("kiln:run");
  const detail = await loadFromApi<RunDetail>(event, `/api/runs/${seg(event.params.runId)}`);
  // The API checks the run is the owner's; the URL must also name its app.
  if (detail.run.appId !== event.params.id)
    error(404, { message: "This run belongs to another app.", code: "not_found" });
  return { detail, now: Date.now() };
};
