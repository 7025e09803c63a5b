// One of the app's stored files (`env.FILES`), for its owner: the API's download (always an attachment, with
// inert headers) passed through, so the workspace never renders what an app stored.
import { error, redirect } from "@sveltejs/kit";
import { downloadFromApi, seg, signInUrl } from "$lib/server/api";
import type { RequestHandler } from "./$types";

export const GET: RequestHandler = async (event) => {
  const environment = event.url.searchParams.get("env") === "live" ? "live" : "preview";
  const name = event.url.searchParams.get("name") ?? "";
  if (!name) error(400, { message: "Say which file to download (?name=…)." });
  const query = new URLSearchParams({ environment, name });
  const result = await downloadFromApi(event, `/api/apps/${seg(event.params.id)}/files/download?${query}`);
  if (result instanceof Response) return result;
  if (result.status === 401) redirect(303, signInUrl(event.url));
  error(result.status >= 400 && result.status <= 599 ? result.status : 500, { message: result.message });
};
