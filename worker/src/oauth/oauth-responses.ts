// The plain answers every Kiln OAuth server gives (RFC 6749): errors as JSON, CORS for browser-based clients, forms
// read like query strings, and the redirect back to the client with its state and the issuer.
import type { AuthorizeRequest } from "./consent-form";
import { isPkceChallenge } from "./pkce";

/** An OAuth error answer (RFC 6749 section 5.2). */
export function oauthError(error: string, description: string, status = 400): Response {
  return Response.json({ error, error_description: description }, { status, headers: { "cache-control": "no-store" } });
}

/** Lets clients running in a browser call the endpoint: it reads no cookie, so another origin gains nothing. */
export function withCors(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("access-control-allow-origin", "*");
  headers.set("access-control-allow-methods", "POST, OPTIONS");
  headers.set("access-control-allow-headers", "content-type, authorization, mcp-protocol-version");
  return new Response(response.body, { status: response.status, headers });
}

/** A posted form's text fields, read as the query string of a GET is (authorize takes both). */
export function formFields(form: FormData): URLSearchParams {
  const fields = new URLSearchParams();
  for (const [key, value] of form) if (typeof value === "string") fields.append(key, value);
  return fields;
}

/** Back to the client with the outcome, its state, and the issuer (RFC 9207: no mix-up between servers). */
export function redirectToClient(asked: AuthorizeRequest, issuer: string, params: Record<string, string>): Response {
  const target = new URL(asked.redirectUri);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  if (asked.state !== null) target.searchParams.set("state", asked.state);
  target.searchParams.set("iss", issuer);
  return new Response(null, { status: 303, headers: { location: target.toString(), "cache-control": "no-store" } });
}

/**
 * What is wrong with an authorization request whose client and redirect URI are known, as the error parameters to
 * send back to the client, or null: only `code` with PKCE S256, and only for `resource` (when the client names one).
 */
export function authorizeProblem(
  fields: URLSearchParams,
  asked: AuthorizeRequest,
  resource: string,
): Record<string, string> | null {
  if (fields.get("response_type") !== "code") return { error: "unsupported_response_type" };
  if (fields.get("code_challenge_method") !== "S256" || !isPkceChallenge(asked.codeChallenge))
    return { error: "invalid_request", error_description: "PKCE with S256 is required." };
  if (asked.resource !== null && asked.resource !== resource)
    return { error: "invalid_target", error_description: `This server grants access to ${resource} only.` };
  return null;
}

/** The token endpoint's success answer: a bearer access token and the refresh token that replaces the one spent. */
export function tokenAnswer(
  accessToken: string,
  accessSeconds: number,
  refreshToken: string,
  refreshSeconds: number,
): Response {
  return Response.json(
    {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: accessSeconds,
      refresh_token: refreshToken,
      refresh_token_expires_in: refreshSeconds,
    },
    { headers: { "cache-control": "no-store", pragma: "no-cache" } },
  );
}
