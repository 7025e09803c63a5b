import { redirect } from "@sveltejs/kit";
import { SESSION_COOKIE, callApi } from "$lib/server/api";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, "/login");
};

export const actions = {
  default: async (event) => {
    await callApi(event, "POST", "/api/auth/logout");
    // Whatever the API answered, this browser ends up without the session cookie.
    const cleared = event.locals.apiSetCookies.some((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!cleared) event.cookies.delete(SESSION_COOKIE, { path: "/" });
    redirect(303, "/login");
  },
} satisfies Actions;
