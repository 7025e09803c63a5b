// The consent page of a Kiln OAuth server: plain HTML, a form that carries the authorization request's parameters back
// with a token tied to the signed-in person's session (CSRF). Each server says in its own words what is granted.
import { sha256Hex } from "../core/ids";
import { escapeHtml } from "../core/html";

/** An authorization request as the client sent it (RFC 6749 section 4.1.1, with PKCE and RFC 8707's resource). */
export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state: string | null;
  resource: string | null;
}

/**
 * The consent form's CSRF token: derived from the session token (which only the person's browser holds, in an
 * HttpOnly cookie) and the request, so another site can neither read nor forge it, and Kiln stores nothing for it.
 * `purpose` keeps each server's tokens apart.
 */
export function consentToken(purpose: string, sessionToken: string, request: AuthorizeRequest): Promise<string> {
  return sha256Hex(`${purpose}:${sessionToken}:${request.clientId}:${request.redirectUri}:${request.codeChallenge}`);
}

/**
 * Whether the form carried the consent token `expected`, compared in constant time: how long a refusal takes says
 * nothing about how much of a forged token matched.
 */
export function isConsentToken(presented: string | null, expected: string): boolean {
  const left = new TextEncoder().encode(presented ?? "");
  const right = new TextEncoder().encode(expected);
  if (left.byteLength !== right.byteLength) return false;
  return crypto.subtle.timingSafeEqual(left, right);
}

/** What one consent page says (`lead` and `footer` are HTML the caller escaped) and where its form posts. */
export interface ConsentForm {
  title: string;
  lead: string;
  footer: string;
  action: string;
  /** The page's CSP; `form-action 'self'` in it is widened to the client's origin. */
  csp: string;
}

/** The page with Allow and Deny; the form posts the request back to the authorize endpoint (`form.action`). */
export function consentForm(form: ConsentForm, request: AuthorizeRequest, csrf: string): Response {
  const hidden = (name: string, value: string | null) =>
    value === null ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(form.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:15vh auto;padding:0 1.5rem;color:#222}
h1{font-size:1.3rem}button{padding:.55rem 1rem;font-size:1rem;margin-right:.5rem}.small{font-size:.9rem;color:#555}</style>
</head><body><h1>${escapeHtml(form.title)}</h1>
<p>${form.lead}</p>
<p class="small">It will return to ${escapeHtml(new URL(request.redirectUri).origin)}.</p>
<form method="post" action="${escapeHtml(form.action)}">
${hidden("client_id", request.clientId)}${hidden("redirect_uri", request.redirectUri)}${hidden("code_challenge", request.codeChallenge)}
${hidden("code_challenge_method", "S256")}${hidden("response_type", "code")}${hidden("state", request.state)}${hidden("resource", request.resource)}
${hidden("csrf", csrf)}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form>
<p class="small">${form.footer}</p></body></html>`;
  // Browsers apply form-action to the redirect that follows the post, so the client's own origin is allowed too.
  const csp = form.csp.replace("form-action 'self'", `form-action 'self' ${new URL(request.redirectUri).origin}`);
  return new Response(html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": csp,
      // Never inside a frame (clickjacking), and in a browsing context group of its own: the opener (unless it sets the
      // same policy) loses its handle on the window, so cannot read the page. Granting still takes a click (Allow).
      "x-frame-options": "DENY",
      "cross-origin-opener-policy": "same-origin",
    },
  });
}
