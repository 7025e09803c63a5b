/** Name of the browser session cookie of the Kiln workspace; app hosts strip it before app code sees a request. */
export const SESSION_COOKIE = "kiln_session";

/** Both names the workspace session cookie has: plain (http, locally) and `__Host-` (https). */
export const SESSION_COOKIE_NAMES = [SESSION_COOKIE, `__Host-${SESSION_COOKIE}`] as const;

/**
 * The session cookie's name for a request to `url`: `__Host-kiln_session` under https, which a browser accepts only
 * host-only, `Secure` and `Path=/`, so no other host (an app on a sibling domain included) can set or shadow it.
 */
export function sessionCookieName(url: URL | string): string {
  return new URL(url).protocol === "https:" ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}
