import { fail, redirect } from "@sveltejs/kit";
import { callApi, rawField, textField } from "$lib/server/api";
import type { User } from "$shapes";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = ({ locals }) => {
  if (locals.user) redirect(303, "/apps");
};

export const actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const email = textField(data, "email");
    const password = rawField(data, "password");
    if (!email) return fail(400, { email, message: "Enter your email address." });
    if (password.length < 8) return fail(400, { email, message: "Choose a password of at least 8 characters." });

    const result = await callApi<{ user: User }>(event, "POST", "/api/auth/signup", { email, password });
    if (!result.ok) {
      const message =
        result.code === "email_taken"
          ? "There is already an account with that email. Sign in instead."
          : result.message;
      return fail(result.status >= 400 ? result.status : 500, { email, message });
    }
    redirect(303, "/apps");
  },
} satisfies Actions;
