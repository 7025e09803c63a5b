import { fail, redirect } from "@sveltejs/kit";
import { callApi, failWith, loadFromApi, seg, textField } from "$lib/server/api";
import type { App } from "$lib/types";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async (event) => {
  const { apps } = await loadFromApi<{ apps: App[] }>(event, "/api/apps");
  return { apps };
};

export const actions = {
  create: async (event) => {
    const data = await event.request.formData();
    const name = textField(data, "name");
    if (!name) return fail(400, { name, message: "Give your app a name." });

    const result = await callApi<App>(event, "POST", "/api/apps", { name });
    if (!result.ok) return failWith(event, result, { name, message: result.message });
    redirect(303, `/apps/${seg(result.data.id)}`);
  },
} satisfies Actions;
