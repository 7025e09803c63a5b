import { callApi, failWith, loadFromApi, seg, textField } from "$lib/server/api";
import type { AppSetup } from "$shapes";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async (event) => {
  const base = `/api/apps/${seg(event.params.id)}`;
  const setup = await loadFromApi<AppSetup>(event, `${base}/setup`);
  // Bases to pick from, only when the app asks for an Airtable table and Airtable answers (else the card says why).
  let bases: { id: string; name: string }[] | null = null;
  let basesProblem: string | null = null;
  if (setup.items.some((s) => s.item.type === "airtable_table")) {
    const listed = await callApi<{ bases: { id: string; name: string }[] }>(
      event,
      "GET",
      `${base}/setup/airtable-bases`,
    );
    if (listed.ok) bases = listed.data.bases;
    else basesProblem = listed.message;
  }
  return { setup, bases, basesProblem };
};

export const actions = {
  /** Saves every value of the form: the plain ones typed, and ids pasted for sheets and tables. */
  save: async (event) => {
    const form = await event.request.formData();
    const values: Record<string, string> = {};
    for (const [name, value] of form) if (name.startsWith("value:")) values[name.slice(6)] = String(value);
    const result = await callApi(event, "PUT", `/api/apps/${seg(event.params.id)}/setup`, { values });
    if (!result.ok) return failWith(event, result, { save: { message: result.message } });
    return { save: { message: null } };
  },
  /** "Create it for me": a Google Sheet, or an Airtable table in the base picked. */
  create: async (event) => {
    const form = await event.request.formData();
    const key = textField(form, "key");
    const baseId = textField(form, "baseId");
    const result = await callApi(event, "POST", `/api/apps/${seg(event.params.id)}/setup/${seg(key)}/create`, {
      ...(baseId ? { baseId } : {}),
    });
    if (!result.ok) return failWith(event, result, { create: { key, message: result.message } });
    return { create: { key, message: null } };
  },
} satisfies Actions;
