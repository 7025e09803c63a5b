// An MCP client of Kiln's own /mcp driven by hand, for the OAuth tests: registration, a known PKCE pair, the code
// exchange and refreshes, and a tools/list with a bearer token.
import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { PLATFORM, type TestUser } from "./api-client";
import { consentAs } from "./tools-app";

/** A form POST to the platform, redirects not followed. */
export const post = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  SELF.fetch(`${PLATFORM}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(body).toString(),
    redirect: "manual",
  });

/** `tools/list` at /mcp with `token`: 200 when the token opens it. */
export const listTools = (token: string) =>
  SELF.fetch(`${PLATFORM}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${token}`,
    },
    body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
  });

async function pkcePair() {
  const verifier = `v${crypto.randomUUID()}${crypto.randomUUID()}`.replace(/-/g, "");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const challenge = btoa(String.fromCharCode(...digest))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return { verifier, challenge };
}

/** The one redirect URI the hand-driven client registers. */
export const REDIRECT = "http://127.0.0.1:9999/cb";

/** Registers a client by hand (as `name`) and builds its authorization URL with a known PKCE pair. */
export async function clientByHand(name = "Hand") {
  const registered = await SELF.fetch(`${PLATFORM}/api/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: name, redirect_uris: [REDIRECT] }),
  });
  expect(registered.status).toBe(201);
  const clientId = ((await registered.json()) as { client_id: string }).client_id;
  const { verifier, challenge } = await pkcePair();
  const authorize = new URL(`${PLATFORM}/api/oauth/authorize`);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "s1",
    resource: `${PLATFORM}/mcp`,
  }).toString();
  const exchange = (code: string, codeVerifier = verifier) =>
    post("/api/oauth/token", {
      grant_type: "authorization_code",
      code,
      code_verifier: codeVerifier,
      client_id: clientId,
      redirect_uri: REDIRECT,
    });
  const refresh = (token: string, client = clientId) =>
    post("/api/oauth/token", { grant_type: "refresh_token", refresh_token: token, client_id: client });
  return { clientId, authorize, exchange, refresh };
}

/** The token endpoint's answer. */
export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  refresh_token_expires_in: number;
}

/** A client `user` consented to, with its first tokens. */
export async function tokensFor(user: TestUser, name = "Hand") {
  const hand = await clientByHand(name);
  const granted = await hand.exchange(await consentAs(user.cookie, hand.authorize));
  expect(granted.status).toBe(200);
  return { ...hand, tokens: (await granted.json()) as Tokens };
}
