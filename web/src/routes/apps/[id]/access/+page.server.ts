import { fail } from "@sveltejs/kit";
import { callApi, failWith, loadFromApi, seg, textField } from "$lib/server/api";
import type { AccessOverview, AccessRule, Environment, OutboxMail } from "$shapes";
import { ACCESS_RULES } from "$shapes/access";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async (event) => {
  const base = `/api/apps/${seg(event.params.id)}`;
  const [access, { mails }] = await Promise.all([
    loadFromApi<AccessOverview>(event, `${base}/access`),
    loadFromApi<{ mails: OutboxMail[] }>(event, `${base}/outbox`),
  ]);
  return { access, outbox: mails.slice(0, 10) };
};

function environmentOf(form: FormData): Environment {
  return textField(form, "environment") === "live" ? "live" : "preview";
}

export const actions = {
  /** Sets who may use one environment. */
  rule: async (event) => {
    const form = await event.request.formData();
    const environment = environmentOf(form);
    const rule = textField(form, "rule") as AccessRule;
    if (!ACCESS_RULES.includes(rule))
      return fail(400, { rule: { environment, saved: false, message: "Choose who may use the app." } });
    const domains = textField(form, "domains")
      .split(/[\s,]+/)
      .map((d) => d.replace(/^@/, "").trim())
      .filter(Boolean);
    const result = await callApi(event, "PUT", `/api/apps/${seg(event.params.id)}/access/${environment}`, {
      rule,
      ...(rule === "domains" ? { domains } : {}),
    });
    if (!result.ok) return failWith(event, result, { rule: { environment, saved: false, message: result.message } });
    return { rule: { environment, saved: true, message: null } };
  },
  /** Invites an email (or sets the roles of someone invited): roles ticked from the app's own, or typed. */
  invite: async (event) => {
    const form = await event.request.formData();
    const email = textField(form, "email");
    const roles = form
      .getAll("roles")
      .flatMap((value) => String(value).split(/[\s,]+/))
      .map((r) => r.trim().toLowerCase())
      .filter(Boolean);
    const result = await callApi(event, "POST", `/api/apps/${seg(event.params.id)}/visitors`, { email, roles });
    if (!result.ok)
      return failWith(event, result, { invite: { email, roles: roles.join(", "), message: result.message } });
    return { invite: { email: "", roles: "", message: null } };
  },
  /** Removes an invitation (that person's sessions end). */
  remove: async (event) => {
    const form = await event.request.formData();
    const email = textField(form, "email");
    const result = await callApi(event, "DELETE", `/api/apps/${seg(event.params.id)}/visitors/${seg(email)}`);
    if (!result.ok) return failWith(event, result, { remove: { email, message: result.message } });
    return { remove: { email, message: null } };
  },
} satisfies Actions;
