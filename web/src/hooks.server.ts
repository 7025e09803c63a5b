import type { Handle } from "@sveltejs/kit";
import { dev } from "$app/environment";
import { callApi, sessionCookieName } from "$lib/server/api";
import type { User } from "$shapes";

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.apiSetCookies = [];
  event.locals.user = null;
  if (event.cookies.get(sessionCookieName(event.url)) !== undefined) {
    const me = await callApi<{ user: User }>(event, "GET", "/api/auth/me");
    if (me.ok) event.locals.user = me.data.user;
  }

  let response = await resolve(event);

  const cookies = event.locals.apiSetCookies;
  const frames = appFrameSource(event.platform?.env ?? {}, dev ? event.url : null);
  try {
    applyHeaders(response.headers, cookies, frames);
  } catch {
    // Immutable headers (a Response SvelteKit did not build): copy, then set.
    response = new Response(response.body, response);
    applyHeaders(response.headers, cookies, frames);
  }
  return response;
};

/**
 * The CSP source of every app host (`http://*.localhost:8787` locally), so the
 * preview tab may frame an app; the static CSP in svelte.config.js cannot know the domain.
 */
function appFrameSource(env: { APPS_DOMAIN?: string; APPS_SCHEME?: string }, devUrl: URL | null): string | null {
  if (env.APPS_DOMAIN) return `${env.APPS_SCHEME ?? "http"}://*.${env.APPS_DOMAIN}`;
  // `vite dev` has no platform env: frame the apps of the Kiln it talks to.
  return devUrl ? "http://*.localhost:*" : null;
}

/**
 * Lets `style-src` accept the page's nonce (SvelteKit puts it in `script-src` only): the Code tab's editor adds
 * `<style nonce>` elements (CodeMirror) and reads the nonce from app.html. No 'unsafe-inline': other styles stay out.
 */
function withStyleNonce(csp: string): string {
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  if (nonce === undefined) return csp;
  return csp
    .split(/;\s*/)
    .map((directive) =>
      directive.startsWith("style-src ") && !directive.includes("'nonce-")
        ? `${directive} 'nonce-${nonce}'`
        : directive,
    )
    .join("; ");
}

function applyHeaders(headers: Headers, cookies: string[], frames: string | null): void {
  let csp = headers.get("content-security-policy");
  if (csp !== null) csp = withStyleNonce(csp);
  if (csp !== null && frames !== null && !csp.includes("frame-src"))
    // 'self' first: the preview frame starts at the workspace's own one-time owner link, then lands on the app.
    csp = `${csp}; frame-src 'self' ${frames}`;
  if (csp !== null) headers.set("content-security-policy", csp);
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  // Pages carry per-person data: keep them out of every cache.
  headers.set("cache-control", "private, no-store");
  headers.set("x-content-type-options", "nosniff");
  headers.set("referrer-policy", "same-origin");
}
