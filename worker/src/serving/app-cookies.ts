import { KILN_COOKIES } from "../core/cookies";
/**
 * Keeps every cookie an app sets on the app's own host. A `Domain=` attribute would widen a cookie to the parent
 * domain: with apps on `*.apps.example.com` and Kiln on `kiln.example.com` under one registrable domain, an app
 * could then fixate or drop the platform's session or another app's. Without it the browser scopes the cookie to
 * the exact host that answered.
 */
export function keepCookiesOnHost(headers: Headers): void {
  const cookies = headers.getSetCookie();
  if (!cookies.some((cookie) => hasDomain(cookie) || isKilns(cookie))) return;
  headers.delete("set-cookie");
  // Kiln's own cookies on the app's host (the visitor's session) are Kiln's to set: an app's are dropped.
  for (const cookie of cookies) if (!isKilns(cookie)) headers.append("set-cookie", withoutDomain(cookie));
}

/** Cookie names only Kiln sets: the platform session and the visitor sessions (plain, `__Host-`, `__Secure-`). */
const KILN_COOKIE_NAMES = new Set(KILN_COOKIES.flatMap((name) => [name, `__host-${name}`, `__secure-${name}`]));

function isKilns(cookie: string): boolean {
  return KILN_COOKIE_NAMES.has(cookie.split("=", 1)[0]!.trim().toLowerCase());
}

/** One `Set-Cookie` value without its `Domain` attribute(s); everything else kept as the app wrote it. */
export function withoutDomain(cookie: string): string {
  const [pair = "", ...attributes] = cookie.split(";");
  const kept = attributes.filter((attribute) => !isDomain(attribute));
  return [pair, ...kept].join(";");
}

function hasDomain(cookie: string): boolean {
  return cookie.split(";").slice(1).some(isDomain);
}

// Attribute names are case-insensitive and may carry spaces around them (RFC 6265 §5.2).
function isDomain(attribute: string): boolean {
  return attribute.split("=", 1)[0]!.trim().toLowerCase() === "domain";
}
