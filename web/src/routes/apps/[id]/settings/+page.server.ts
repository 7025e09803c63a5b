import { redirect } from "@sveltejs/kit";
import { callApi, failWith, loadFromApi, seg, textField } from "$lib/server/api";
import type { AiBudget, App, AppConfig } from "$shapes";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async (event) => ({
  config: await loadFromApi<AppConfig>(event, `/api/apps/${seg(event.params.id)}/config`),
  ai: (await loadFromApi<{ budget: AiBudget }>(event, `/api/apps/${seg(event.params.id)}/ai-budget`)).budget,
});

export const actions = {
  /** A new name; the app's addresses stay. */
  rename: async (event) => {
    const name = textField(await event.request.formData(), "name");
    const result = await callApi<App>(event, "PATCH", `/api/apps/${seg(event.params.id)}`, { name });
    if (!result.ok) return failWith(event, result, { rename: { message: result.message } });
    return { rename: { message: null } };
  },
  /** Every config row of the form (`key:n` / `value:n`), blank keys dropped, checked by the API. */
  config: async (event) => {
    const form = await event.request.formData();
    const values: Record<string, string> = {};
    for (const [field, key] of form) {
      const index = /^key:(\d+)$/.exec(field)?.[1];
      if (index === undefined || String(key).trim() === "" || form.get(`remove:${index}`) === "on") continue;
      values[String(key).trim()] = textField(form, `value:${index}`);
    }
    const result = await callApi<AppConfig>(event, "PUT", `/api/apps/${seg(event.params.id)}/config`, { values });
    if (!result.ok) return failWith(event, result, { config: { message: result.message } });
    return { config: { message: null } };
  },
  /** The app's monthly AI token budget (kiln/ai); the API checks the number. */
  aiBudget: async (event) => {
    const monthlyTokens = Number(textField(await event.request.formData(), "monthlyTokens").replace(/[\s,_]/g, ""));
    const result = await callApi<{ budget: AiBudget }>(event, "PUT", `/api/apps/${seg(event.params.id)}/ai-budget`, {
      monthlyTokens,
    });
    if (!result.ok) return failWith(event, result, { aiBudget: { message: result.message } });
    return { aiBudget: { message: null } };
  },
  /** A copy of the app (its preview code and config), opened at once. */
  duplicate: async (event) => {
    const name = textField(await event.request.formData(), "name");
    const result = await callApi<App>(event, "POST", `/api/apps/${seg(event.params.id)}/duplicate`, {
      ...(name ? { name } : {}),
    });
    if (!result.ok) return failWith(event, result, { duplicate: { message: result.message } });
    redirect(303, `/apps/${seg(result.data.id)}`);
  },
  /** Deletes the app when its name was typed exactly, as a guard against the wrong app. */
  delete: async (event) => {
    const typed = textField(await event.request.formData(), "confirm");
    const app = await callApi<App>(event, "GET", `/api/apps/${seg(event.params.id)}`);
    if (!app.ok) return failWith(event, app, { delete: { message: app.message } });
    if (typed !== app.data.name)
      return { delete: { message: `Type the app's name, ${app.data.name}, exactly to delete it.` } };
    const result = await callApi(event, "DELETE", `/api/apps/${seg(event.params.id)}`);
    if (!result.ok) return failWith(event, result, { delete: { message: result.message } });
    redirect(303, "/apps");
  },
} satisfies Actions;
