// Every cookie Kiln sets, named once. On https each is `__Host-` (host-only, Secure, Path=/) or `__Secure-`, so no
// other host — an app on a sibling domain included — can set or shadow it.

/** The workspace's session. */
export const SESSION_COOKIE = "kiln_session";

/** A visitor's session on one app host, when the app is the page they opened. */
export const VISITOR_COOKIE = "kiln_visitor";

/** The owner's session on an app host inside the workspace's frame: partitioned (CHIPS), SameSite=None. */
export const EMBED_COOKIE = "kiln_embed";

/** Binds a visitor's Google sign-in to the browser that started it (under `/_kiln/` of the app host). */
export const GOOGLE_STATE_COOKIE = "kiln_google_state";

/** Every cookie name only Kiln may set on an app host: an app's Set-Cookie for one of these is dropped. */
export const KILN_COOKIES = [SESSION_COOKIE, VISITOR_COOKIE, EMBED_COOKIE, GOOGLE_STATE_COOKIE] as const;

/** Both names the workspace session cookie has: plain (http, locally) and `__Host-` (https). */
export const SESSION_COOKIE_NAMES = [SESSION_COOKIE, `__Host-${SESSION_COOKIE}`] as const;

/**
 * The session cookie's name for a request to `url`: `__Host-kiln_session` under https, which a browser accepts only
 * host-only, `Secure` and `Path=/`, so no other host (an app on a sibling domain included) can set or shadow it.
 */
export function sessionCookieName(url: URL | string): string {
  return new URL(url).protocol === "https:" ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}
