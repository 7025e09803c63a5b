import { sha256Hex } from "../lib/ids";

/** The path under every app host that Kiln answers itself (sign-in, sign-out); apps never receive it. */
export const KILN_PATH = "/_kiln/";

/** How long a visitor stays signed in to one app host. */
export const VISITOR_SESSION_SECONDS = 7 * 24 * 60 * 60;

/**
 * The visitor session cookie's name: `__Host-` under https, which a browser accepts only host-only, `Secure`,
 * `Path=/` (so no other host, not even the parent domain, can set or shadow it); plain locally over http.
 */
export function visitorCookieName(url: URL): string {
  return url.protocol === "https:" ? "__Host-kiln_visitor" : "kiln_visitor";
}

/** The session token the visitor's browser sent for this host, or null. */
export function visitorToken(request: Request, url = new URL(request.url)): string | null {
  const cookie = request.headers.get("cookie");
  // Most visitors of a public app send no cookie at all: nothing to parse on that path.
  if (cookie === null) return null;
  const name = visitorCookieName(url);
  for (const part of cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=") || null;
  }
  return null;
}

/** Removes Kiln's visitor cookie from headers bound for the app: app code never sees a session token. */
export function stripVisitorCookie(headers: Headers, url: URL): void {
  const cookie = headers.get("cookie");
  const name = visitorCookieName(url);
  if (!cookie?.includes(`${name}=`)) return;
  const kept = cookie
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "" && !part.startsWith(`${name}=`));
  if (kept.length > 0) headers.set("cookie", kept.join("; "));
  else headers.delete("cookie");
}

/** The `Set-Cookie` value that starts (token) or ends (null) a visitor's session on the host of `url`. */
export function visitorCookie(url: URL, token: string | null): string {
  const secure = url.protocol === "https:" ? "; Secure" : "";
  const value = token ?? "";
  const age = token ? VISITOR_SESSION_SECONDS : 0;
  return `${visitorCookieName(url)}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${age}${secure}`;
}

/** How a session token is stored and looked up: its SHA-256, never the token itself. */
export function sessionTokenHash(token: string): Promise<string> {
  return sha256Hex(`visitor-session:${token}`);
}
