// The app as a zip (its code, tables, config and every row of one environment), handed to the browser as a
// download; the API builds it (`GET /api/apps/:id/export`).
import { error, redirect } from "@sveltejs/kit";
import { downloadFromApi, seg, signInUrl } from "$lib/server/api";
import type { RequestHandler } from "./$types";

export const GET: RequestHandler = async (event) => {
  const environment = event.url.searchParams.get("environment") === "live" ? "live" : "preview";
  const answer = await downloadFromApi(event, `/api/apps/${seg(event.params.id)}/export?environment=${environment}`);
  if (!(answer instanceof Response)) {
    if (answer.status === 401) redirect(303, signInUrl(event.url));
    error(answer.status, { message: answer.message });
  }
  const headers = new Headers({ "cache-control": "no-store" });
  for (const name of ["content-type", "content-disposition", "content-length"]) {
    const value = answer.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(answer.body, { headers });
};
