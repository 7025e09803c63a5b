// Google's OAuth 2.0 wire protocol as Kiln uses it: authorization URL with
// PKCE (S256) and offline access, code exchange, refresh, revocation.
import { GOOGLE_SCOPES, googleAuthorizationParams } from "../../../connectors/google/oauth";
import { z } from "zod";
import { bytesToBase64Url } from "../vault/base64";
import { upstreamErrorMessage } from "./credential-check";
import type { GoogleClient, GoogleEndpoints } from "./google-client";
import { redactSecrets } from "./redaction";

/** A PKCE verifier (kept secret until the exchange) and its S256 challenge (sent in the URL). */
export interface PkcePair {
  verifier: string;
  challenge: string;
}

/** A token endpoint answer Kiln can use. */
export interface GoogleTokens {
  accessToken: string;
  /** Absent on most refreshes; present when Google rotates it. */
  refreshToken: string | null;
  expiresInSeconds: number;
  scope: string | null;
  /** The OpenID Connect ID token, when `openid` was granted (visitor sign-in reads its email from it). */
  idToken: string | null;
}

/** What the token endpoint said. */
export type TokenResult =
  | { ok: true; tokens: GoogleTokens }
  /** The grant (code or refresh token) is no longer valid: revoked, expired, already used. */
  | { ok: false; kind: "invalid_grant"; message: string }
  /** Our request was refused for another reason (e.g. a wrong client secret). */
  | { ok: false; kind: "rejected"; message: string }
  | { ok: false; kind: "unreachable"; message: string };

const TIMEOUT_MS = 10_000;

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
  id_token: z.string().min(1).optional(),
});

/** A fresh verifier (32 random bytes, 43 characters) and its SHA-256 challenge (RFC 7636). */
export async function newPkcePair(): Promise<PkcePair> {
  const verifier = bytesToBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: bytesToBase64Url(new Uint8Array(digest)) };
}

/**
 * The URL the owner opens to grant Kiln access; `request` narrows it (a visitor's sign-in asks only `openid email`,
 * online, letting them pick an account).
 */
export function authorizationUrl(
  endpoints: GoogleEndpoints,
  client: GoogleClient,
  flow: { redirectUri: string; state: string; challenge: string },
  request: { scopes: readonly string[]; params: Readonly<Record<string, string>> } = {
    scopes: GOOGLE_SCOPES,
    params: googleAuthorizationParams,
  },
): string {
  const url = new URL(endpoints.authorization);
  const params: Record<string, string> = {
    client_id: client.clientId,
    redirect_uri: flow.redirectUri,
    response_type: "code",
    scope: request.scopes.join(" "),
    state: flow.state,
    code_challenge: flow.challenge,
    code_challenge_method: "S256",
    ...request.params,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/** Exchanges an authorization code (with its PKCE verifier) for tokens. */
export function exchangeCode(
  endpoints: GoogleEndpoints,
  client: GoogleClient,
  grant: { code: string; verifier: string; redirectUri: string },
): Promise<TokenResult> {
  return tokenRequest(
    endpoints,
    client,
    {
      grant_type: "authorization_code",
      code: grant.code,
      code_verifier: grant.verifier,
      redirect_uri: grant.redirectUri,
    },
    [grant.code, grant.verifier],
  );
}

/** A new access token for a refresh token. */
export function refreshTokens(
  endpoints: GoogleEndpoints,
  client: GoogleClient,
  refreshToken: string,
): Promise<TokenResult> {
  return tokenRequest(endpoints, client, { grant_type: "refresh_token", refresh_token: refreshToken }, [refreshToken]);
}

/** Asks Google to revoke a token (and the grant behind it); best effort, never throws. */
export async function revokeToken(endpoints: GoogleEndpoints, token: string): Promise<boolean> {
  try {
    const response = await fetch(endpoints.revoke, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }),
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

async function tokenRequest(
  endpoints: GoogleEndpoints,
  client: GoogleClient,
  params: Record<string, string>,
  secrets: string[],
): Promise<TokenResult> {
  const hidden = [...secrets, client.clientSecret];
  let response: Response;
  try {
    response = await fetch(endpoints.token, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ ...params, client_id: client.clientId, client_secret: client.clientSecret }),
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { ok: false, kind: "unreachable", message: "Kiln could not reach Google's token endpoint." };
  }
  if (!response.ok) {
    const text = await response.clone().text();
    const code = errorCode(text);
    const message = redactSecrets(await upstreamErrorMessage(response), hidden) || code || `status ${response.status}`;
    if (code === "invalid_grant") return { ok: false, kind: "invalid_grant", message };
    if (response.status >= 400 && response.status < 500 && response.status !== 429)
      return { ok: false, kind: "rejected", message: code ? `${code}: ${message}` : message };
    return {
      ok: false,
      kind: "unreachable",
      message: `Google's token endpoint answered ${response.status}: ${message}`,
    };
  }
  const parsed = tokenAnswer.safeParse(await response.json().catch(() => null));
  if (!parsed.success)
    return {
      ok: false,
      kind: "unreachable",
      message: "Google's token endpoint sent an answer Kiln does not understand.",
    };
  const answer = parsed.data;
  return {
    ok: true,
    tokens: {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token ?? null,
      expiresInSeconds: answer.expires_in,
      scope: answer.scope ?? null,
      idToken: answer.id_token ?? null,
    },
  };
}

function errorCode(text: string): string | null {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    return typeof body.error === "string" ? body.error : null;
  } catch {
    return null;
  }
}
