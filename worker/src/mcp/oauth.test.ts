import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PLATFORM, type TestUser, callApi, newUser } from "../../test/api-client";
import {
  CLICKED_IN_TAB,
  OPENED_IN_TAB,
  SCRIPT_FETCH,
  connectWithOAuth,
  consentAs,
  consentFormFields,
} from "../../test/tools-app";
import { purgeSpentOwnerOAuthRows } from "./oauth/owner-oauth-store";

// OAuth for MCP clients of Kiln's own /mcp: the owner signs in to Kiln and consents; the token opens /mcp only.

const post = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  SELF.fetch(`${PLATFORM}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(body).toString(),
    redirect: "manual",
  });

const listTools = (token: string) =>
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

const REDIRECT = "http://127.0.0.1:9999/cb";

// Registers a client by hand and builds its authorization URL with a known PKCE pair.
async function clientByHand() {
  const registered = await SELF.fetch(`${PLATFORM}/api/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Hand", redirect_uris: [REDIRECT] }),
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

interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

async function tokensFor(user: TestUser) {
  const hand = await clientByHand();
  const granted = await hand.exchange(await consentAs(user.cookie, hand.authorize));
  expect(granted.status).toBe(200);
  return { ...hand, tokens: (await granted.json()) as Tokens };
}

// The consent page's hidden fields, as the owner's browser would post them back.
async function consentFields(cookie: string, authorize: URL): Promise<URLSearchParams> {
  const page = await SELF.fetch(authorize.toString(), { headers: { cookie, ...OPENED_IN_TAB } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("use your Kiln (your apps, their code, data and settings)?");
  const fields = consentFormFields(html);
  fields.set("decision", "allow");
  return fields;
}

// The consent form posted back as `cookie`'s browser would on a click of Allow (`headers` change what it sends).
const allow = (cookie: string | null, fields: URLSearchParams, origin = PLATFORM, headers = CLICKED_IN_TAB) =>
  SELF.fetch(`${PLATFORM}/api/oauth/authorize`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin,
      ...headers,
      ...(cookie ? { cookie } : {}),
    },
    body: fields.toString(),
    redirect: "manual",
  });

describe("OAuth for MCP clients of Kiln's own /mcp", () => {
  it("a 401 points to the metadata; the SDK client signs in as the owner, then searches", async () => {
    const bare = await SELF.fetch(`${PLATFORM}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${PLATFORM}/.well-known/oauth-protected-resource"`,
    );
    for (const path of ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"]) {
      const resource = await SELF.fetch(`${PLATFORM}${path}`);
      expect(resource.status).toBe(200);
      expect(await resource.json()).toMatchObject({ resource: `${PLATFORM}/mcp`, authorization_servers: [PLATFORM] });
    }
    const server = await SELF.fetch(`${PLATFORM}/.well-known/oauth-authorization-server`);
    expect(await server.json()).toMatchObject({
      issuer: PLATFORM,
      authorization_endpoint: `${PLATFORM}/api/oauth/authorize`,
      token_endpoint: `${PLATFORM}/api/oauth/token`,
      registration_endpoint: `${PLATFORM}/api/oauth/register`,
      code_challenge_methods_supported: ["S256"],
    });

    // Signed out: authorize sends the browser to the web UI's sign-in, which comes back to it.
    const { authorize } = await clientByHand();
    const signedOut = await SELF.fetch(authorize.toString(), { redirect: "manual" });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe(
      `/login?next=${encodeURIComponent(`${authorize.pathname}${authorize.search}`)}`,
    );

    const user = await newUser();
    const { client, provider } = await connectWithOAuth(`${PLATFORM}/`, user.cookie, "/api/oauth/authorize");
    expect(provider.saved?.access_token).toMatch(/^kiln_mcp_/);
    expect(provider.saved?.refresh_token).toMatch(/^kiln_mcpr_/);
    expect(provider.saved?.expires_in).toBe(3600);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(["execute", "search"]);
    const found = await client.callTool({ name: "search", arguments: { query: "create an app" } });
    expect((found.content as { text: string }[])[0]!.text).toContain("apps.create");
    await client.close();
  });

  it("an MCP OAuth token opens /mcp only, never the rest of the API", async () => {
    const user = await newUser();
    const { tokens } = await tokensFor(user);
    expect((await listTools(tokens.access_token)).status).toBe(200);
    for (const path of ["/api/apps", "/api/auth/me", "/api/tokens"]) {
      const refused = await callApi("GET", path, undefined, { authorization: `Bearer ${tokens.access_token}` });
      expect(refused.status).toBe(403);
      expect(refused.text).toContain("works only at /mcp");
    }
    expect(
      (await callApi("POST", "/api/tokens", { name: "x" }, { authorization: `Bearer ${tokens.access_token}` })).status,
    ).toBe(403);
    // A refresh token is no access token, and an unknown one is a 401 that says to get a new one.
    const asBearer = await listTools(tokens.refresh_token);
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect((await listTools(`kiln_mcp_${"0".repeat(64)}`)).status).toBe(401);
    // The owner's API token still works at /mcp.
    expect((await listTools(user.token)).status).toBe(200);
  });

  it("codes: a wrong PKCE verifier is refused, a code works once, a refresh token rotates", async () => {
    const user = await newUser();
    const first = await clientByHand();
    const firstCode = await consentAs(user.cookie, first.authorize);
    const wrong = await first.exchange(firstCode, `${"x".repeat(50)}`);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe("invalid_grant");
    // A wrong verifier, or another client, does not burn the code: its real client still redeems it, once.
    expect((await first.exchange(firstCode, "short")).status).toBe(400);
    const thief = await clientByHand();
    expect((await thief.exchange(firstCode)).status).toBe(400);
    expect((await first.exchange(firstCode)).status).toBe(200);
    expect((await first.exchange(firstCode)).status).toBe(400);

    const second = await clientByHand();
    const code = await consentAs(user.cookie, second.authorize);
    const ok = await second.exchange(code);
    expect(ok.status).toBe(200);
    const tokens = (await ok.json()) as Tokens;
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect((await second.exchange(code)).status).toBe(400);

    // Another client cannot spend this client's refresh token.
    expect((await second.refresh(tokens.refresh_token, first.clientId)).status).toBe(400);
    const rotated = await second.refresh(tokens.refresh_token);
    expect(rotated.status).toBe(200);
    const next = (await rotated.json()) as Tokens;
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await listTools(next.access_token)).status).toBe(200);
    expect((await second.refresh(tokens.refresh_token)).status).toBe(400);
    expect((await second.refresh(next.refresh_token)).status).toBe(200);
  });

  it("another user's consent cannot be forged (CSRF), nor a client redirected elsewhere", async () => {
    const alice = await newUser();
    const mallory = await newUser();
    const { authorize } = await clientByHand();
    // Mallory's own consent form, posted from Alice's browser (her cookie): its token is tied to Mallory's session.
    const mallorys = await consentFields(mallory.cookie, authorize);
    const forged = await allow(alice.cookie, mallorys);
    expect(forged.status).toBe(403);
    expect(forged.headers.get("location")).toBeNull();
    // Without the token, from another site, or signed out: refused too.
    const withoutToken = new URLSearchParams(mallorys);
    withoutToken.delete("csrf");
    expect((await allow(alice.cookie, withoutToken)).status).toBe(403);
    const alices = await consentFields(alice.cookie, authorize);
    expect((await allow(alice.cookie, alices, "http://evil.example")).status).toBe(403);
    expect((await allow(null, alices)).status).toBe(403);
    // Alice's own form, from her browser: a code back at the registered redirect URI, with state and issuer.
    const allowed = await allow(alice.cookie, alices);
    expect(allowed.status).toBe(303);
    const back = new URL(allowed.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe("s1");
    expect(back.searchParams.get("iss")).toBe(PLATFORM);
    expect(back.searchParams.get("code")).toBeTruthy();

    // A redirect URI the client never registered is shown, never followed; bad registrations are refused.
    const elsewhere = new URL(authorize);
    elsewhere.searchParams.set("redirect_uri", "https://evil.example/cb");
    const shown = await SELF.fetch(elsewhere.toString(), {
      headers: { cookie: alice.cookie, ...OPENED_IN_TAB },
      redirect: "manual",
    });
    expect(shown.status).toBe(400);
    for (const uri of ["http://evil.example/cb", "javascript:alert(1)", "https://ok.example/cb#frag"]) {
      const refused = await SELF.fetch(`${PLATFORM}/api/oauth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_name: "Bad", redirect_uris: [uri] }),
      });
      expect(refused.status).toBe(400);
    }
  });

  it("the consent page shows only in a tab, and grants only on a click, not to a script's fetch", async () => {
    const user = await newUser();
    const { authorize, exchange } = await clientByHand();
    for (const headers of [SCRIPT_FETCH, { ...OPENED_IN_TAB, "sec-fetch-dest": "iframe" }, {}]) {
      const refused = await SELF.fetch(authorize.toString(), { headers: { cookie: user.cookie, ...headers } });
      expect(refused.status).toBe(403);
      const text = await refused.text();
      expect(text).toContain("Open this page in your browser");
      expect(text).not.toContain('name="csrf"');
    }
    const page = await SELF.fetch(authorize.toString(), { headers: { cookie: user.cookie, ...OPENED_IN_TAB } });
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    const fields = await consentFields(user.cookie, authorize);
    const noClick = Object.fromEntries(Object.entries(CLICKED_IN_TAB).filter(([name]) => name !== "sec-fetch-user"));
    for (const headers of [SCRIPT_FETCH, { ...SCRIPT_FETCH, "sec-fetch-mode": "same-origin" }, noClick, {}]) {
      const refused = await allow(user.cookie, fields, PLATFORM, headers);
      expect(refused.status).toBe(403);
      expect(refused.headers.get("location")).toBeNull();
    }
    const clicked = await allow(user.cookie, fields);
    expect(clicked.status).toBe(303);
    const code = new URL(clicked.headers.get("location")!).searchParams.get("code")!;
    expect((await exchange(code)).status).toBe(200);
  });

  it("the minute cron's purge drops used and expired codes and expired tokens, never live ones", async () => {
    const user = await newUser();
    const hand = await clientByHand();
    const rows = async (table: "owner_mcp_codes" | "owner_mcp_tokens", kind: "access" | "refresh" | "" = "") =>
      (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE client_id = ?${kind ? " AND kind = ?" : ""}`)
        .bind(...(kind ? [hand.clientId, kind] : [hand.clientId]))
        .first<{ n: number }>())!.n;
    const used = await consentAs(user.cookie, hand.authorize);
    expect((await hand.exchange(used)).status).toBe(200);
    const unused = await consentAs(user.cookie, hand.authorize);
    expect(await rows("owner_mcp_codes")).toBe(2);
    await purgeSpentOwnerOAuthRows(env.DB);
    expect(await rows("owner_mcp_codes")).toBe(1);
    expect(await rows("owner_mcp_tokens")).toBe(2);
    // An hour on: the unused code and the access token expired; the refresh token lives on for 30 days.
    await purgeSpentOwnerOAuthRows(env.DB, Date.now() + 61 * 60 * 1000);
    expect(await rows("owner_mcp_codes")).toBe(0);
    expect(await rows("owner_mcp_tokens", "access")).toBe(0);
    expect(await rows("owner_mcp_tokens", "refresh")).toBe(1);
    expect((await hand.exchange(unused)).status).toBe(400);
    await purgeSpentOwnerOAuthRows(env.DB, Date.now() + 31 * 24 * 60 * 60 * 1000);
    expect(await rows("owner_mcp_tokens")).toBe(0);
  });
});
