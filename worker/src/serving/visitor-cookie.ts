import { sha256Hex } from "../core/ids";
import { EMBED_COOKIE, VISITOR_COOKIE } from "../core/cookies";

/** The path under every app host that Kiln answers itself (sign-in, sign-out); apps never receive it. */
export const KILN_PATH = "/_kiln/";

/** How long a visitor stays signed in to one app host. */
export const VISITOR_SESSION_SECONDS = 7 * 24 * 60 * 60;

/**
 * Where a session cookie is used: `top` when the app is the page the visitor opened (SameSite=Lax), `embedded`
 * when the workspace shows it in a frame — a cross-site frame gets no Lax cookie, so the owner's preview there
 * rides on a partitioned one (CHIPS) that only a frame under the workspace's own site receives.
 */
export type CookieContext = "top" | "embedded";

/**
 * The visitor session cookie's name: `__Host-` under https, which a browser accepts only host-only, `Secure`,
 * `Path=/` (so no other host, not even the parent domain, can set or shadow it); plain locally over http.
 */
export function visitorCookieName(url: URL, context: CookieContext = "top"): string {
  const name = context === "top" ? VISITOR_COOKIE : EMBED_COOKIE;
  return url.protocol === "https:" ? `__Host-${name}` : name;
}

/** A session token the visitor's browser sent for this host, and the cookie it came in; null without one. */
export function visitorToken(
  request: Request,
  url = new URL(request.url),
): { token: string; context: CookieContext } | null {
  const cookie = request.headers.get("cookie");
  // Most visitors of a public app send no cookie at all: nothing to parse on that path.
  if (cookie === null) return null;
  const top = visitorCookieName(url, "top");
  const embedded = visitorCookieName(url, "embedded");
  let found: { token: string; context: CookieContext } | null = null;
  for (const part of cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    const token = value.join("=");
    if (!token) continue;
    if (key === top) return { token, context: "top" };
    if (key === embedded) found = { token, context: "embedded" };
  }
  return found;
}

/** The value of one cookie the request carries, or null (visitorToken reads its two names in one pass instead). */
export function cookieValue(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return null;
}

/** Removes Kiln's session cookies from headers bound for the app: app code never sees a session token. */
export function stripVisitorCookie(headers: Headers, url: URL): void {
  const cookie = headers.get("cookie");
  if (cookie === null || !cookie.includes("kiln_")) return;
  const names = [visitorCookieName(url, "top"), visitorCookieName(url, "embedded")].map((name) => `${name}=`);
  const kept = cookie
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "" && !names.some((name) => part.startsWith(name)));
  if (kept.length > 0) headers.set("cookie", kept.join("; "));
  else headers.delete("cookie");
}

/** The `Set-Cookie` value that starts (token) or ends (null) a visitor's session on the host of `url`. */
export function visitorCookie(url: URL, token: string | null, context: CookieContext = "top"): string {
  const name = visitorCookieName(url, context);
  const age = token ? VISITOR_SESSION_SECONDS : 0;
  // SameSite=None needs Secure; browsers take Secure from http://*.localhost too, so the local workspace works.
  if (context === "embedded")
    return `${name}=${token ?? ""}; Path=/; HttpOnly; SameSite=None; Max-Age=${age}; Secure; Partitioned`;
  const secure = url.protocol === "https:" ? "; Secure" : "";
  return `${name}=${token ?? ""}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${age}${secure}`;
}

/** How a session token is stored and looked up: its SHA-256, never the token itself. */
export function sessionTokenHash(token: string): Promise<string> {
  return sha256Hex(`visitor-session:${token}`);
}
