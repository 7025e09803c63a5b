import type { Visitor } from "../data/visitor-sessions";
import type { Environment } from "../core/env";
import { accessVerdict } from "./access-rule";
import type { AppAccess } from "../core/api-shapes/access";
import { escapeHtml, visitorPage } from "./pages";
import { KILN_PATH, sessionTokenHash, visitorToken } from "./visitor-cookie";

/** Header that carries the signed-in visitor into the app (`{ id, email, roles }` as JSON); only Kiln sets it. */

/** Reads the visitor of a session token's hash from the app environment's database (an in-process call in the runner). */
export type SessionLookup = (
  app: { appId: string; slug: string },
  environment: Environment,
  tokenHash: string,
) => Promise<Visitor | null>;

/** What the gate decided: serve the app (to this visitor, or anonymously), or answer with Kiln's own page. */
export type GateOutcome = { pass: true; visitor: Visitor | null } | { pass: false; response: Response };

/**
 * Applies an environment's access rule to one request before any app code runs: a protected app without a
 * session gets the sign-in page (HTML) or a 401 (anything else), a signed-in visitor the rule does not admit a 403.
 */
export async function checkVisitor(
  request: Request,
  url: URL,
  app: { appId: string; slug: string },
  environment: Environment,
  access: AppAccess,
  sessions: SessionLookup,
): Promise<GateOutcome> {
  const found = visitorToken(request, url);
  const token = found && (found.context === "top" || embeddedMayAct(request)) ? found.token : null;
  // Public apps still learn who is signed in (an app may show a "signed in as" line), at one read per request.
  const visitor = token ? await sessions(app, environment, await sessionTokenHash(token)) : null;
  const verdict = accessVerdict(access, { visitor, invited: visitor !== null });
  if (verdict === "allow") return { pass: true, visitor };
  if (verdict === "refuse") {
    return {
      pass: false,
      response: visitorPage(
        403,
        "You do not have access",
        `You are signed in as ${visitor?.email ?? "someone"}, who may not use this app. Ask its owner for an invitation, or sign out and use another email.`,
      ),
    };
  }
  return { pass: false, response: signInRequired(request, url) };
}

// The workspace frame's cookie is SameSite=None: a browser without partitioned cookies would send it with a form
// another site posts. So it signs in only navigations and the app's own requests, never a cross-site write.
function embeddedMayAct(request: Request): boolean {
  if (request.method === "GET" || request.method === "HEAD") return true;
  const site = request.headers.get("sec-fetch-site");
  return site === null || site === "same-origin";
}

// Browsers are sent to the sign-in page and back; scripts get a 401 they can act on, never the data.
function signInRequired(request: Request, url: URL): Response {
  const wantsPage = request.method === "GET" && (request.headers.get("accept") ?? "").includes("text/html");
  if (!wantsPage) {
    return Response.json(
      {
        error: { code: "unauthorized", message: `Sign in first: open ${url.origin}${KILN_PATH}sign-in in a browser.` },
      },
      { status: 401, headers: { "cache-control": "no-store" } },
    );
  }
  const next = `${url.pathname}${url.search}`;
  const location = `${KILN_PATH}sign-in?next=${encodeURIComponent(next)}`;
  return new Response(`<!doctype html><a href="${escapeHtml(location)}">Sign in</a>`, {
    status: 303,
    headers: { location, "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
