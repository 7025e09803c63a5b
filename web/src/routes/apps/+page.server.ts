import { fail, redirect } from "@sveltejs/kit";
import { callApi, callStreamingApi, failWith, loadFromApi, seg, textField } from "$lib/server/api";
import type { App, ListedApp, Template } from "$shapes";
import type { Actions, PageServerLoad, RequestEvent } from "./$types";

export const load: PageServerLoad = async (event) => {
  const [{ apps }, { templates }] = await Promise.all([
    loadFromApi<{ apps: ListedApp[] }>(event, "/api/apps"),
    loadFromApi<{ templates: Template[] }>(event, "/api/templates"),
  ]);
  return { apps, templates };
};

/**
 * Without JavaScript, creating from a sentence or a template waits here for the
 * first build to finish, then opens the workspace (with it, the page streams instead).
 */
async function createStreamed(event: RequestEvent, body: Record<string, string>, formKey: "describe" | "template") {
  const result = await callStreamingApi(event, "/api/apps", body);
  if (!result.ok) return failWith(event, result, { [formKey]: { ...body, message: result.message } });
  const created = result.data.find((e) => e.event === "app")?.data.app as { id?: string } | undefined;
  if (!created?.id)
    return fail(502, { [formKey]: { ...body, message: "Kiln did not create the app. Try again in a moment." } });
  redirect(303, `/apps/${seg(created.id)}`);
}

export const actions = {
  create: async (event) => {
    const data = await event.request.formData();
    const name = textField(data, "name");
    if (!name) return fail(400, { name, message: "Give your app a name." });

    const result = await callApi<App>(event, "POST", "/api/apps", { name });
    if (!result.ok) return failWith(event, result, { name, message: result.message });
    redirect(303, `/apps/${seg(result.data.id)}`);
  },
  describe: async (event) => {
    const prompt = textField(await event.request.formData(), "prompt");
    if (!prompt) return fail(400, { describe: { prompt, message: "Describe the app you want first." } });
    return createStreamed(event, { prompt }, "describe");
  },
  template: async (event) => {
    const template = textField(await event.request.formData(), "template");
    return createStreamed(event, { template }, "template");
  },
} satisfies Actions;
