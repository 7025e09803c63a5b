import { fail, redirect } from "@sveltejs/kit";
import { callApi, rawField, safeNext, textField } from "$lib/server/api";
import type { User } from "$shapes";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get("next")));
};

export const actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const email = textField(data, "email");
    const password = rawField(data, "password");
    if (!email || !password) return fail(400, { email, message: "Enter your email and your password." });

    const result = await callApi<{ user: User }>(event, "POST", "/api/auth/login", { email, password });
    if (!result.ok) {
      const message =
        result.code === "invalid_credentials"
          ? "That email and password do not match an account. Check both, or create an account."
          : result.message;
      return fail(result.status >= 400 ? result.status : 500, { email, message });
    }
    redirect(303, safeNext(event.url.searchParams.get("next")));
  },
} satisfies Actions;
