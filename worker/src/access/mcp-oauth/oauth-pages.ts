// OAuth 2.1 for MCP clients of an app host (MCP authorization spec): dynamic registration (RFC 7591, public clients),
// `/authorize` on top of the visitor sign-in (sign in, then consent), `/token` with PKCE S256 and rotating refresh
// tokens. Served under `/_kiln/oauth/` of the app host, so like the sign-in pages they run in the control plane
// (invites and D1 live here); the access token they issue is checked by the runner in the app's own database.
import { type AttemptRule, recordFailure, refuseWhenLimited } from "../../auth/attempt-limit";
import { appDataStore } from "../../data/app-data-store-stub";
import { MCP_PATH } from "../../serving/app-mcp";
import { visitorPage } from "../../serving/pages";
import { KILN_PATH, sessionTokenHash, visitorToken } from "../../serving/visitor-cookie";
import { type SignInContext, addressKeys, rolesAtSignIn } from "../sign-in-context";
import { readRegistration, registeredClient } from "../../oauth/client-registration";
import { isTopLevelNavigation, isUserSubmission, notInBrowserTab } from "../../oauth/consent-navigation";
import { formFields, redirectToClient, withCors } from "../../oauth/oauth-responses";
import { checkAuthorizeRequest } from "../../oauth/authorize-request";
import { isConsentToken } from "../../oauth/consent-form";
import { consentPage, consentToken } from "./consent-page";
import { findClient, issueCode, registerClient } from "./oauth-store";
import { tokenEndpoint } from "./oauth-tokens";

/** Registrations from one client address in an hour: a few assistants, not a flood of rows. */
const REGISTRATIONS_PER_ADDRESS: AttemptRule = { scope: "mcp-register-ip", limit: 30, windowSeconds: 60 * 60 };

/** The paths under `/_kiln/oauth/`, or null for any other path (the caller answers 404). */
export async function mcpOAuthPages(context: SignInContext, request: Request, path: string): Promise<Response | null> {
  // Clients in a browser call register and token from their own origin: they carry no cookie, so CORS is safe.
  if (request.method === "OPTIONS" && (path === "register" || path === "token"))
    return withCors(new Response(null, { status: 204 }));
  if (path === "register" && request.method === "POST") return withCors(await register(context, request));
  if (path === "token" && request.method === "POST") return withCors(await tokenEndpoint(context, request));
  if (path === "authorize" && (request.method === "GET" || request.method === "POST"))
    return authorize(context, request);
  return null;
}

async function register(context: SignInContext, request: Request): Promise<Response> {
  const keys = addressKeys(request).map((key) => ({ ...key, rule: REGISTRATIONS_PER_ADDRESS }));
  await refuseWhenLimited(context.env.DB, keys);
  await recordFailure(context.env.DB, keys);
  const registration = await readRegistration(request);
  if (registration instanceof Response) return registration;
  const place = { appId: context.app.id, environment: context.environment };
  const id = await registerClient(context.env.DB, place, registration.name, registration.redirectUris);
  return registeredClient(id, registration);
}

async function authorize(context: SignInContext, request: Request): Promise<Response> {
  const { url, env } = context;
  const posted = request.method === "POST";
  if (posted && request.headers.get("origin") !== null && request.headers.get("origin") !== url.origin)
    return visitorPage(403, "Not allowed", "This form was sent from another site. Start again from your assistant.");
  // The app's own scripts share this origin: only a person's click on the consent page, in a tab, may grant.
  if (posted && !isUserSubmission(request)) return notInBrowserTab(true);
  const fields = posted ? formFields(await request.formData()) : url.searchParams;
  const place = { appId: context.app.id, environment: context.environment };
  const checked = await checkAuthorizeRequest(
    fields,
    (id) => findClient(env.DB, place, id),
    `${url.origin}${MCP_PATH}`,
  );
  if (!checked)
    return visitorPage(
      400,
      "Unknown assistant",
      "This sign-in link names an assistant or a return address this app does not know. Connect it again.",
    );
  const { client, asked } = checked;
  const back = (params: Record<string, string>) => redirectToClient(asked, url.origin, params);
  if (checked.problem) return back(checked.problem);

  const found = visitorToken(request, url);
  const sessionToken = found?.context === "top" ? found.token : null;
  const visitor = sessionToken
    ? await appDataStore(env, context.app, context.environment).visitorSession(await sessionTokenHash(sessionToken))
    : null;
  if (!visitor || !sessionToken) {
    if (posted) return visitorPage(403, "Signed out", "Your session ended. Start again from your assistant.");
    // Sign in on this app host as any visitor does, then back here (sign-in-context.ts safeNext lets this path through).
    const next = `${url.pathname}${url.search}`;
    return new Response(null, {
      status: 303,
      headers: { location: `${KILN_PATH}sign-in?next=${encodeURIComponent(next)}`, "cache-control": "no-store" },
    });
  }
  if ((await rolesAtSignIn(context, visitor.email)) === null)
    return visitorPage(403, "You do not have access", `${visitor.email} may not use ${context.app.name}.`);
  const csrf = await consentToken(sessionToken, asked);
  if (!posted)
    // A script's fetch or a frame would read the CSRF token from the page: only a top-level navigation is shown it.
    return isTopLevelNavigation(request)
      ? consentPage(context.app.name, client.name, visitor.email, asked, csrf)
      : notInBrowserTab(false);
  if (!isConsentToken(fields.get("csrf"), csrf))
    return visitorPage(
      403,
      "Not allowed",
      "This form is out of date or was not sent from this page. Start again from your assistant.",
    );
  if (fields.get("decision") !== "allow") return back({ error: "access_denied" });
  const code = await issueCode(env.DB, place, {
    clientId: client.id,
    email: visitor.email,
    redirectUri: asked.redirectUri,
    codeChallenge: asked.codeChallenge,
  });
  return back({ code });
}
