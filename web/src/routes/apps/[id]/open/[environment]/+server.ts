// Opens one environment of the app signed in as its owner: asks the API for a one-time link (two minutes, single
// use) and sends the browser there. A link, not a form: the workspace's CSP (form-action 'self') would stop a
// form post from landing on the app's host. `?embed=1` is the preview frame's way in: each load of the frame
// gets a fresh link, and the app's host answers it with the cookie a frame can keep.
import { error, redirect } from "@sveltejs/kit";
import { callApi, seg, signInUrl } from "$lib/server/api";
import type { RequestHandler } from "./$types";

export const GET: RequestHandler = async (event) => {
  const environment = event.params.environment;
  if (environment !== "preview" && environment !== "live") error(404, { message: "Open the preview or the live app." });
  const next = event.url.searchParams.get("next") ?? "/";
  const link = await callApi<{ url: string }>(event, "POST", `/api/apps/${seg(event.params.id)}/visit`, {
    environment,
    next: next.startsWith("/") && !next.startsWith("//") ? next : "/",
    embed: event.url.searchParams.get("embed") === "1",
  });
  if (!link.ok) {
    if (link.status === 401) redirect(303, signInUrl(event.url));
    error(link.status === 404 ? 404 : 502, { message: link.message });
  }
  redirect(303, link.data.url);
};
