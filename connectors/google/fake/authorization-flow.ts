// The client side of Google's authorization-code flow with PKCE, against the
// fake, for tests (workerd or Node: fetch and Web Crypto only). It plays both
// the browser (following the consent redirect) and the server (token exchange).
import { GOOGLE_FAKE_CLIENT_ID, GOOGLE_FAKE_CLIENT_SECRET } from "./credentials.ts";

/** Google's token endpoint answer. */
export interface TokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
  token_type: "Bearer";
  id_token?: string;
}

/** A PKCE pair: the verifier stays with Kiln, the S256 challenge goes in the authorization URL. */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
  );
  return { verifier, challenge };
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Options of one run of the flow. */
export interface FlowOptions {
  scopes: readonly string[];
  redirectUri?: string;
  prompt?: string;
  accessType?: "online" | "offline";
}

/** Visits the authorization endpoint and returns the redirect it answers with. */
export async function authorize(
  oauthBase: string,
  options: FlowOptions & { state: string; challenge: string },
): Promise<Response> {
  const query = new URLSearchParams({
    client_id: GOOGLE_FAKE_CLIENT_ID,
    redirect_uri: options.redirectUri ?? "http://localhost:8787/oauth/google/callback",
    response_type: "code",
    scope: options.scopes.join(" "),
    state: options.state,
    code_challenge: options.challenge,
    code_challenge_method: "S256",
    access_type: options.accessType ?? "offline",
    prompt: options.prompt ?? "consent",
  });
  return fetch(`${oauthBase}/o/oauth2/v2/auth?${query}`, { redirect: "manual" });
}

/** POSTs a form to the token endpoint with the fake client's credentials. */
export function tokenRequest(oauthBase: string, fields: Record<string, string>): Promise<Response> {
  const body = new URLSearchParams({
    client_id: GOOGLE_FAKE_CLIENT_ID,
    client_secret: GOOGLE_FAKE_CLIENT_SECRET,
    ...fields,
  });
  return fetch(`${oauthBase}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}

/** The whole flow: consent (auto-approved by the fake), then code + verifier for tokens. */
export async function runAuthorizationFlow(oauthBase: string, options: FlowOptions): Promise<TokenAnswer> {
  const { verifier, challenge } = await pkcePair();
  const redirect = await authorize(oauthBase, { ...options, state: "flow-state", challenge });
  const location = redirect.headers.get("location");
  if (redirect.status !== 302 || !location)
    throw new Error(`authorization failed: ${redirect.status} ${await redirect.text()}`);
  const code = new URL(location).searchParams.get("code");
  if (!code) throw new Error(`authorization returned no code: ${location}`);
  const response = await tokenRequest(oauthBase, {
    grant_type: "authorization_code",
    code,
    redirect_uri: options.redirectUri ?? "http://localhost:8787/oauth/google/callback",
    code_verifier: verifier,
  });
  if (!response.ok) throw new Error(`token exchange failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as TokenAnswer;
}
