import { fail, redirect } from "@sveltejs/kit";
import { callApi, failWith, loadFromApi, signInUrl, textField } from "$lib/server/api";
import type { AlertSettingsSaved, AlertsOverview } from "$shapes";
import type { Actions, PageServerLoad, RequestEvent } from "./$types";

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user) redirect(303, signInUrl(event.url));
  return loadFromApi<AlertsOverview>(event, "/api/alerts");
};

/** Saves the form's settings; `rotateSecret` asks for a new signing secret. The secret comes back once, here only. */
async function save(event: RequestEvent, rotateSecret: boolean) {
  const data = await event.request.formData();
  const email = data.get("email") === "on";
  const webhookUrl = textField(data, "webhookUrl");
  const result = await callApi<AlertSettingsSaved>(event, "PUT", "/api/alerts", {
    email,
    webhookUrl: webhookUrl === "" ? null : webhookUrl,
    ...(rotateSecret ? { rotateSecret: true } : {}),
  });
  if (!result.ok) return failWith(event, result, { webhookUrl, message: result.message });
  return { saved: true, signingSecret: result.data.signingSecret };
}

export const actions = {
  save: (event) => save(event, false),
  rotate: async (event) => {
    const result = await save(event, true);
    if ("saved" in result && result.signingSecret === null)
      return fail(400, { webhookUrl: "", message: "Set a webhook URL first: the secret signs what Kiln sends to it." });
    return result;
  },
} satisfies Actions;
