import { VISITOR_HEADER } from "../../src/core/headers";
// Kiln app SDK (runtime half). The helpers are identities: their value is in
// the types they give the app's code; the platform reads `tables` at build.
export function defineTables(tables) {
  return tables;
}
export function defineApp(handler) {
  return handler;
}

// Visitors. Kiln signs visitors in on the app's own host and tells the app who is asking in a header it sets
// itself (a visitor's own x-kiln-* headers never reach the app), so reading it here is trustworthy.
const SIGN_IN_PATH = "/_kiln/sign-in";

function requestOf(from) {
  return from instanceof Request ? from : from?.req?.raw;
}

export function visitor(from) {
  const text = requestOf(from)?.headers.get(VISITOR_HEADER);
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function hasRole(who, roles) {
  return who.roles.includes("owner") || roles.some((role) => who.roles.includes(role));
}

function refuse(c, status) {
  const request = requestOf(c);
  const url = new URL(request.url);
  const wantsPage = request.method === "GET" && (request.headers.get("accept") ?? "").includes("text/html");
  if (status === 401 && wantsPage) {
    const next = encodeURIComponent(url.pathname + url.search);
    return new Response(null, { status: 303, headers: { location: `${SIGN_IN_PATH}?next=${next}` } });
  }
  const message = status === 401 ? "Sign in first." : "You may not use this page.";
  return Response.json({ error: message }, { status });
}

export function requireVisitor() {
  return async (c, next) => (visitor(c) ? next() : refuse(c, 401));
}

export function requireOwner() {
  return async (c, next) => {
    const who = visitor(c);
    if (!who) return refuse(c, 401);
    return who.roles.includes("owner") ? next() : refuse(c, 403);
  };
}

export function requireRole(...roles) {
  return async (c, next) => {
    const who = visitor(c);
    if (!who) return refuse(c, 401);
    return hasRole(who, roles) ? next() : refuse(c, 403);
  };
}
