// `authorize` of Kiln's own OAuth for MCP clients: the owner signs in to Kiln's web UI (sent to `/login` and back),
// then sees a consent page whose form carries a CSRF token tied to their session; Allow redirects to the client
// with a one-time code bound to the client, its redirect URI and PKCE challenge.
import { type AuthorizeRequest, consentForm, consentToken, isConsentToken } from "../../oauth/consent-form";
import { checkAuthorizeRequest } from "../../oauth/authorize-request";
import { escapeHtml } from "../../core/html";
import { isTopLevelNavigation, isUserSubmission, notInBrowserTab } from "../../oauth/consent-navigation";
import { formFields, redirectToClient } from "../../oauth/oauth-responses";
import { visitorPage } from "../../serving/pages";
import { userForSession } from "../../auth/credentials";
import { findOwnerClient, issueOwnerCode } from "./owner-oauth-store";
import { OWNER_MCP_PATH, OWNER_OAUTH_PATH } from "./owner-oauth-paths";

/** The web UI's sign-in page, which returns to a same-origin `next` path once the owner is signed in. */
export const SIGN_IN_PATH = "/login";

// A page of its own, not the web UI's: no script at all, and a form that may post only here (and then redirect to
// the client, see consentForm).
const CONSENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

/**
 * `GET` (show consent, or send to sign-in) and `POST` (the owner's decision) of `/api/oauth/authorize`.
 * `sessionToken` is the Kiln session cookie's value, or null when the browser sent none.
 */
export async function ownerAuthorize(db: D1Database, request: Request, sessionToken: string | null): Promise<Response> {
  const url = new URL(request.url);
  const posted = request.method === "POST";
  const origin = request.headers.get("origin");
  if (posted && origin !== null && origin !== url.origin)
    return visitorPage(403, "Not allowed", "This form was sent from another site. Start again from your assistant.");
  // As on app hosts (defence in depth): only a person's click on the consent page, in a tab, may grant.
  if (posted && !isUserSubmission(request)) return notInBrowserTab(true);
  const fields = posted ? formFields(await request.formData()) : url.searchParams;
  const checked = await checkAuthorizeRequest(
    fields,
    (id) => findOwnerClient(db, id),
    `${url.origin}${OWNER_MCP_PATH}`,
  );
  if (!checked)
    return visitorPage(
      400,
      "Unknown assistant",
      "This sign-in link names an assistant or a return address Kiln does not know. Connect it again.",
    );
  const { client, asked } = checked;
  const back = (params: Record<string, string>) => redirectToClient(asked, url.origin, params);
  if (checked.problem) return back(checked.problem);

  const user = sessionToken ? await userForSession(db, sessionToken) : null;
  if (!user || !sessionToken) {
    if (posted) return visitorPage(403, "Signed out", "Your Kiln session ended. Start again from your assistant.");
    // The web UI's sign-in comes back to this very request (its `next` takes any path of this origin).
    const next = `${url.pathname}${url.search}`;
    return new Response(null, {
      status: 303,
      headers: { location: `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}`, "cache-control": "no-store" },
    });
  }
  const csrf = await consentToken("kiln-mcp-consent", sessionToken, asked);
  if (!posted)
    return isTopLevelNavigation(request) ? consentPage(client.name, user.email, asked, csrf) : notInBrowserTab(false);
  if (!isConsentToken(fields.get("csrf"), csrf))
    return visitorPage(
      403,
      "Not allowed",
      "This form is out of date or was not sent from this page. Start again from your assistant.",
    );
  if (fields.get("decision") !== "allow") return back({ error: "access_denied" });
  const code = await issueOwnerCode(db, {
    clientId: client.id,
    userId: user.id,
    redirectUri: asked.redirectUri,
    codeChallenge: asked.codeChallenge,
  });
  return back({ code });
}

// "Let <client> use your Kiln (your apps, their code, data and settings)?" with Allow and Deny.
function consentPage(clientName: string, email: string, request: AuthorizeRequest, csrf: string): Response {
  return consentForm(
    {
      title: `Let ${clientName} use your Kiln (your apps, their code, data and settings)?`,
      lead: `You are signed in to Kiln as ${escapeHtml(email)}. ${escapeHtml(clientName)} (an assistant or app you connected) will be able to act as you through Kiln's MCP server: read, create, change and delete your apps, their code, data and settings.`,
      footer:
        "Allow only an assistant you trust and just connected yourself. You can disconnect it on Kiln's Connections page; after 90 days it asks you again.",
      action: `${OWNER_OAUTH_PATH}authorize`,
      csp: CONSENT_CSP,
    },
    request,
    csrf,
  );
}
