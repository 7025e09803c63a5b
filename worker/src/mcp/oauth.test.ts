import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PLATFORM, callApi, newUser } from "../../test/api-client";
import { REDIRECT, type Tokens, clientByHand, listTools, tokensFor } from "../../test/owner-oauth-client";
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

    // Another client cannot spend this client's refresh token (nor, unspent, revoke anything with it).
    expect((await second.refresh(tokens.refresh_token, first.clientId)).status).toBe(400);
    const rotated = await second.refresh(tokens.refresh_token);
    expect(rotated.status).toBe(200);
    const next = (await rotated.json()) as Tokens;
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await listTools(next.access_token)).status).toBe(200);
    expect((await second.refresh(next.refresh_token)).status).toBe(200);
    // Spent ones presented again revoke the grant: oauth-grants.test.ts.
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

  it("the minute cron's purge drops expired codes, tokens and grants, keeps what a replay would be caught by", async () => {
    const user = await newUser();
    const hand = await clientByHand();
    const rows = async (table: "owner_mcp_codes" | "owner_mcp_tokens" | "owner_mcp_grants", kind = "") =>
      (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE client_id = ?${kind ? " AND kind = ?" : ""}`)
        .bind(...(kind ? [hand.clientId, kind] : [hand.clientId]))
        .first<{ n: number }>())!.n;
    const used = await consentAs(user.cookie, hand.authorize);
    expect((await hand.exchange(used)).status).toBe(200);
    const unused = await consentAs(user.cookie, hand.authorize);
    expect(await rows("owner_mcp_grants")).toBe(2);
    // The used code stays while its grant lives: presented again, it revokes the grant.
    await purgeSpentOwnerOAuthRows(env.DB);
    expect(await rows("owner_mcp_codes")).toBe(2);
    expect(await rows("owner_mcp_tokens")).toBe(2);
    // An hour on: the unused code (and its grant, which has nothing else) and the access token expired; the refresh
    // token lives on for 30 days, and its grant with it.
    await purgeSpentOwnerOAuthRows(env.DB, Date.now() + 61 * 60 * 1000);
    expect(await rows("owner_mcp_codes")).toBe(1);
    expect(await rows("owner_mcp_grants")).toBe(1);
    expect(await rows("owner_mcp_tokens", "access")).toBe(0);
    expect(await rows("owner_mcp_tokens", "refresh")).toBe(1);
    expect((await hand.exchange(unused)).status).toBe(400);
    await purgeSpentOwnerOAuthRows(env.DB, Date.now() + 31 * 24 * 60 * 60 * 1000);
    expect(await rows("owner_mcp_tokens")).toBe(0);
    expect(await rows("owner_mcp_codes")).toBe(0);
    expect(await rows("owner_mcp_grants")).toBe(0);
  });
});
