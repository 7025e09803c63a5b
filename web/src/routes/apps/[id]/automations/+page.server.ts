import { fail } from "@sveltejs/kit";
import { parseRunInput } from "$lib/automations";
import { callApi, failWith, loadFromApi, rawField, seg, textField } from "$lib/server/api";
import type {
  AutomationsOverview,
  Environment,
  Run,
  RunAttempt,
  RunStatus,
  StripeTestDelivery,
  StripeWebhookView,
} from "$shapes";
import type { Actions, PageServerLoad } from "./$types";

/** Runs per page of the history. */
const PAGE = 25;
const STATUSES: readonly RunStatus[] = ["queued", "running", "retrying", "succeeded", "failed", "skipped"];

export const load: PageServerLoad = async (event) => {
  event.depends("kiln:automations");
  const q = event.url.searchParams;
  const automation = (q.get("automation") ?? "").trim();
  const statusParam = q.get("status") ?? "";
  const status = (STATUSES as readonly string[]).includes(statusParam) ? (statusParam as RunStatus) : "";
  const before = (q.get("before") ?? "").trim();

  const query = new URLSearchParams({ limit: String(PAGE + 1) });
  if (automation) query.set("automation", automation);
  if (status) query.set("status", status);
  if (before) query.set("before", before);
  const base = `/api/apps/${seg(event.params.id)}`;
  const [overview, { runs }, { webhooks }] = await Promise.all([
    loadFromApi<AutomationsOverview>(event, `${base}/automations`),
    loadFromApi<{ runs: Run[] }>(event, `${base}/runs?${query}`),
    loadFromApi<{ webhooks: StripeWebhookView[] }>(event, `${base}/stripe-webhook`),
  ]);
  return {
    overview,
    webhooks,
    runs: runs.slice(0, PAGE),
    hasOlder: runs.length > PAGE,
    filters: { automation, status, before },
    now: Date.now(),
  };
};

export const actions = {
  /** Runs one automation now (one attempt) and answers when it is over. */
  run: async (event) => {
    const form = await event.request.formData();
    const name = textField(form, "name");
    const envField = textField(form, "env");
    const env: Environment = envField === "preview" ? "preview" : "live";
    const inputText = rawField(form, "input");
    const input = parseRunInput(inputText);
    if (!name) return fail(400, { manual: { name, env, input: inputText, message: "Pick an automation to run." } });
    if (!input.ok) return fail(400, { manual: { name, env, input: inputText, message: input.message } });

    const result = await callApi<{ run: Run; attempts: RunAttempt[] }>(
      event,
      "POST",
      `/api/apps/${seg(event.params.id)}/automations/${seg(name)}/run?env=${env}`,
      input.empty ? undefined : input.value,
    );
    if (!result.ok)
      return failWith(event, result, { manual: { name, env, input: inputText, message: result.message } });
    return { manual: { name, env, input: inputText, run: result.data.run } };
  },
  /** Sends a signed test event of the chosen type to the app's Stripe endpoint (made for the preview if missing). */
  stripeTest: async (event) => {
    const form = await event.request.formData();
    const environment: Environment = textField(form, "environment") === "live" ? "live" : "preview";
    const result = await callApi<StripeTestDelivery>(
      event,
      "POST",
      `/api/apps/${seg(event.params.id)}/stripe-webhook/test`,
      { environment, type: textField(form, "type") },
    );
    if (!result.ok) return failWith(event, result, { stripeTest: { sent: null, problem: result.message } });
    return { stripeTest: { sent: result.data, problem: null } };
  },
} satisfies Actions;
