import { redirect } from "@sveltejs/kit";
import { callApi, sessionCookieName } from "$lib/server/api";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, "/login");
};

export const actions = {
  default: async (event) => {
    await callApi(event, "POST", "/api/auth/logout");
    // Whatever the API answered, this browser ends up without the session cookie.
    const name = sessionCookieName(event.url);
    const cleared = event.locals.apiSetCookies.some((c) => c.startsWith(`${name}=`));
    if (!cleared) event.cookies.delete(name, { path: "/" });
    redirect(303, "/login");
  },
} satisfies Actions;
