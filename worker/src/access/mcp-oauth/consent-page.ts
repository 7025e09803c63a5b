// The page on which a signed-in visitor lets an MCP client act as them on one app host: the shared consent form
// (oauth/consent-form.ts), in an app visitor's words, posting back to the app host's authorize endpoint.
import { type AuthorizeRequest, consentForm, consentToken as formToken } from "../../oauth/consent-form";
import { escapeHtml } from "../../serving/pages";
import { KILN_PAGE_CSP } from "../sign-in-page";

export type { AuthorizeRequest };

/** The consent form's CSRF token, tied to the visitor's session on this app host (see oauth/consent-form.ts). */
export function consentToken(sessionToken: string, request: AuthorizeRequest): Promise<string> {
  return formToken("mcp-consent", sessionToken, request);
}

/** "Let <client> use <app> as <email>?" with Allow and Deny; the form posts back to the authorize endpoint. */
export function consentPage(
  appName: string,
  clientName: string,
  email: string,
  request: AuthorizeRequest,
  csrf: string,
): Response {
  return consentForm(
    {
      title: `Let ${clientName} use ${appName} as ${email}?`,
      lead: `${escapeHtml(clientName)} (an assistant or app you connected) will be able to use ${escapeHtml(appName)}'s tools as you, for as long as you may use ${escapeHtml(appName)}.`,
      footer: "Sign-in is provided by Kiln, which hosts this app.",
      action: "/_kiln/oauth/authorize",
      csp: KILN_PAGE_CSP,
    },
    request,
    csrf,
  );
}
