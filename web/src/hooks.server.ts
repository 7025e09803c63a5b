import type { Handle } from "@sveltejs/kit";
import { SESSION_COOKIE, callApi } from "$lib/server/api";
import type { User } from "$lib/types";

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.apiSetCookies = [];
  event.locals.user = null;
  if (event.cookies.get(SESSION_COOKIE) !== undefined) {
    const me = await callApi<{ user: User }>(event, "GET", "/api/auth/me");
    if (me.ok) event.locals.user = me.data.user;
  }

  let response = await resolve(event);

  const cookies = event.locals.apiSetCookies;
  try {
    applyHeaders(response.headers, cookies);
  } catch {
    // Immutable headers (a Response SvelteKit did not build): copy, then set.
    response = new Response(response.body, response);
    applyHeaders(response.headers, cookies);
  }
  return response;
};

function applyHeaders(headers: Headers, cookies: string[]): void {
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  // Pages carry per-person data: keep them out of every cache.
  headers.set("cache-control", "private, no-store");
  headers.set("x-content-type-options", "nosniff");
  headers.set("referrer-policy", "same-origin");
}
