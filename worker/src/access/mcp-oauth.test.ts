import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type TestUser, newUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import {
  CLICKED_IN_TAB,
  OPENED_IN_TAB,
  SCRIPT_FETCH,
  connectWithOAuth,
  consentAs,
  consentFormFields,
  toolsApp,
} from "../../test/tools-app";
import { purgeSpentOAuthRows } from "./mcp-oauth/oauth-store";
import { hit, signInWithCode } from "../../test/visitor-client";

// An invite-only preview of the tools app, with `friend` (no role) and `seller` (role sales) invited.
async function invitedToolsApp(user: TestUser) {
  const app = await appWithSource(user, `crm ${crypto.randomUUID().slice(0, 6)}`, toolsApp);
  expect((await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "invited" })).status).toBe(200);
  await user.call("POST", `/api/apps/${app.id}/visitors`, { email: "friend@example.com", roles: [] });
  await user.call("POST", `/api/apps/${app.id}/visitors`, { email: "seller@example.com", roles: ["sales"] });
  return app;
}

async function visitorCookie(user: TestUser, appId: string, hostUrl: string, email: string): Promise<string> {
  const signedIn = await signInWithCode(user, appId, hostUrl, email);
  return signedIn.headers.get("set-cookie")!.split(";")[0]!;
}

const post = (url: string, body: Record<string, string>) =>
  SELF.fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body).toString(),
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

// Registers a client by hand and builds its authorization URL with a known PKCE pair.
async function clientByHand(hostUrl: string) {
  const redirect = "http://localhost:9999/cb";
  const registered = await SELF.fetch(`${hostUrl}_kiln/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Hand", redirect_uris: [redirect] }),
  });
  expect(registered.status).toBe(201);
  const clientId = ((await registered.json()) as { client_id: string }).client_id;
  const { verifier, challenge } = await pkcePair();
  const authorize = new URL(`${hostUrl}_kiln/oauth/authorize`);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirect,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "s1",
  }).toString();
  const exchange = (code: string, codeVerifier: string) =>
    post(`${hostUrl}_kiln/oauth/token`, {
      grant_type: "authorization_code",
      code,
      code_verifier: codeVerifier,
      client_id: clientId,
      redirect_uri: redirect,
    });
  return { clientId, verifier, exchange, authorize };
}

// Registers a client by hand and gets a code for `cookie`'s visitor with a known PKCE pair.
async function codeByHand(hostUrl: string, cookie: string) {
  const hand = await clientByHand(hostUrl);
  return { ...hand, code: await consentAs(cookie, hand.authorize) };
}

describe("an app's tools behind its access rule, with OAuth for MCP clients", () => {
  it("without a token /mcp answers 401 with the resource metadata; the SDK's OAuth dance signs in as an invited visitor", async () => {
    const user = await newUser();
    const app = await invitedToolsApp(user);
    const bare = await hit(`${app.previewUrl}mcp`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${app.previewUrl}.well-known/oauth-protected-resource"`,
    );
    const asServer = JSON.parse((await hit(`${app.previewUrl}.well-known/oauth-authorization-server`)).text);
    expect(asServer.code_challenge_methods_supported).toEqual(["S256"]);

    // Not signed in: authorize sends the browser to the app's sign-in, which comes back to authorize.
    const { authorize } = await codeByHand(
      app.previewUrl,
      await visitorCookie(user, app.id, app.previewUrl, "friend@example.com"),
    );
    const signedOut = await hit(authorize.toString());
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe(
      `/_kiln/sign-in?next=${encodeURIComponent(`${authorize.pathname}${authorize.search}`)}`,
    );

    const cookie = await visitorCookie(user, app.id, app.previewUrl, "friend@example.com");
    const { client, provider } = await connectWithOAuth(app.previewUrl, cookie);
    expect(provider.saved?.refresh_token).toBeTruthy();
    const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
    // countLeads is for role sales only: friend neither sees nor may call it.
    expect(names).toEqual(["addLead", "explode", "whoAmI"]);
    await expect(client.callTool({ name: "countLeads", arguments: {} })).rejects.toThrow(/only for sales/);
    const added = await client.callTool({ name: "addLead", arguments: { name: "Ada", email: "ada@example.com" } });
    expect(added.structuredContent).toMatchObject({ added_by: "friend@example.com" });
    const who = await client.callTool({ name: "whoAmI", arguments: {} });
    expect(who.structuredContent).toMatchObject({ caller: { email: "friend@example.com", roles: [] } });
    await client.close();

    const seller = await connectWithOAuth(
      app.previewUrl,
      await visitorCookie(user, app.id, app.previewUrl, "seller@example.com"),
    );
    expect(await seller.client.callTool({ name: "countLeads", arguments: {} })).toMatchObject({
      structuredContent: { count: 1 },
    });

    // The invite removed: its access tokens end at once, and its refresh token is refused.
    expect((await user.call("DELETE", `/api/apps/${app.id}/visitors/seller%40example.com`)).status).toBeLessThan(300);
    const listed = await hit(`${app.previewUrl}mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${seller.provider.saved!.access_token}` },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(listed.status).toBe(401);
    expect(listed.headers.get("www-authenticate")).toContain('error="invalid_token"');
    const refreshed = await post(`${app.previewUrl}_kiln/oauth/token`, {
      grant_type: "refresh_token",
      refresh_token: seller.provider.saved!.refresh_token!,
      client_id: seller.provider.client!.client_id,
    });
    expect(refreshed.status).toBe(400);
    expect(await refreshed.text()).toContain("may no longer use");
  });

  it("codes: a wrong PKCE verifier is refused, a code works once, a refresh token rotates", async () => {
    const user = await newUser();
    const app = await invitedToolsApp(user);
    const cookie = await visitorCookie(user, app.id, app.previewUrl, "friend@example.com");
    const first = await codeByHand(app.previewUrl, cookie);
    const wrong = await first.exchange(first.code, `${first.verifier.slice(0, -1)}x`);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe("invalid_grant");
    // Whoever saw the code cannot burn it with a wrong verifier, another redirect URI or another client: it still
    // works for its real client, once.
    expect((await first.exchange(first.code, "x".repeat(10))).status).toBe(400);
    const otherRedirect = await post(`${app.previewUrl}_kiln/oauth/token`, {
      grant_type: "authorization_code",
      code: first.code,
      code_verifier: first.verifier,
      client_id: first.clientId,
      redirect_uri: "http://localhost:9999/elsewhere",
    });
    expect(otherRedirect.status).toBe(400);
    const otherClient = await clientByHand(app.previewUrl);
    const stolen = await post(`${app.previewUrl}_kiln/oauth/token`, {
      grant_type: "authorization_code",
      code: first.code,
      code_verifier: first.verifier,
      client_id: otherClient.clientId,
      redirect_uri: "http://localhost:9999/cb",
    });
    expect(stolen.status).toBe(400);
    expect((await first.exchange(first.code, first.verifier)).status).toBe(200);
    expect((await first.exchange(first.code, first.verifier)).status).toBe(400);

    const second = await codeByHand(app.previewUrl, cookie);
    const ok = await second.exchange(second.code, second.verifier);
    expect(ok.status).toBe(200);
    const tokens = (await ok.json()) as { access_token: string; refresh_token: string; token_type: string };
    expect(tokens.token_type).toBe("Bearer");
    expect((await second.exchange(second.code, second.verifier)).status).toBe(400);

    const rotate = () =>
      post(`${app.previewUrl}_kiln/oauth/token`, {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token,
        client_id: second.clientId,
      });
    expect((await rotate()).status).toBe(200);
    expect((await rotate()).status).toBe(400);
  });

  it("a token works only on the app host and environment it was issued for", async () => {
    const user = await newUser();
    const app = await invitedToolsApp(user);
    const other = await invitedToolsApp(user);
    expect((await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version })).status).toBe(200);
    const cookie = await visitorCookie(user, app.id, app.previewUrl, "friend@example.com");
    const { code, verifier, exchange, clientId } = await codeByHand(app.previewUrl, cookie);
    const { access_token } = (await (await exchange(code, verifier)).json()) as { access_token: string };
    const list = (hostUrl: string) =>
      hit(`${hostUrl}mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${access_token}` },
        body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
      });
    expect((await list(app.previewUrl)).status).toBe(200);
    // The live app is public, yet a token it never issued is refused rather than ignored.
    expect((await list(app.liveUrl)).status).toBe(401);
    expect((await list(other.previewUrl)).status).toBe(401);
    // The client is unknown to another app host: its codes and refresh tokens cannot be redeemed there either.
    const elsewhere = await post(`${other.previewUrl}_kiln/oauth/token`, {
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      client_id: clientId,
      redirect_uri: "http://localhost:9999/cb",
    });
    expect(elsewhere.status).toBe(401);
  });

  it("the consent page shows only in a tab, and grants only on a click: the app's own scripts can do neither", async () => {
    const user = await newUser();
    const app = await invitedToolsApp(user);
    const cookie = await visitorCookie(user, app.id, app.previewUrl, "friend@example.com");
    const { authorize } = await clientByHand(app.previewUrl);
    const open = (headers: Record<string, string>) => hit(authorize.toString(), { headers: { cookie, ...headers } });
    // A script's fetch (same origin, the visitor's cookie), an iframe, or a client sending no Fetch Metadata at all.
    for (const headers of [SCRIPT_FETCH, { ...OPENED_IN_TAB, "sec-fetch-dest": "iframe" }, {}]) {
      const refused = await open(headers);
      expect(refused.status).toBe(403);
      expect(refused.text).toContain("Open this page in your browser");
      expect(refused.text).not.toContain('name="csrf"');
      expect(refused.headers.get("x-frame-options")).toBe("DENY");
    }
    const page = await open(OPENED_IN_TAB);
    expect(page.status).toBe(200);
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const fields = consentFormFields(page.text);
    fields.set("decision", "allow");

    // The form as a script would post it (even with the CSRF token it read): from the app's origin, with the cookie.
    const allow = (headers: Record<string, string>) =>
      hit(`${app.previewUrl}_kiln/oauth/authorize`, {
        method: "POST",
        headers: {
          cookie,
          origin: new URL(app.previewUrl).origin,
          "content-type": "application/x-www-form-urlencoded",
          ...headers,
        },
        body: fields.toString(),
      });
    const noClick = Object.fromEntries(Object.entries(CLICKED_IN_TAB).filter(([name]) => name !== "sec-fetch-user"));
    for (const headers of [
      SCRIPT_FETCH, // fetch(…, { method: "POST" })
      { ...SCRIPT_FETCH, "sec-fetch-mode": "same-origin" },
      noClick, // form.submit() or click() from a script: a navigation, but no person's activation
      { ...CLICKED_IN_TAB, "sec-fetch-dest": "iframe" }, // a click inside a frame
      { ...CLICKED_IN_TAB, "sec-fetch-site": "cross-site" },
      {},
    ]) {
      const refused = await allow(headers);
      expect(refused.status).toBe(403);
      expect(refused.headers.get("location")).toBeNull();
    }
    // The person's own click on Allow still grants.
    const clicked = await allow(CLICKED_IN_TAB);
    expect(clicked.status).toBe(303);
    expect(new URL(clicked.headers.get("location")!).searchParams.get("code")).toBeTruthy();
  });

  it("the minute cron's purge drops used and expired codes and expired refresh tokens, never live ones", async () => {
    const user = await newUser();
    const app = await invitedToolsApp(user);
    const cookie = await visitorCookie(user, app.id, app.previewUrl, "friend@example.com");
    const hand = await codeByHand(app.previewUrl, cookie);
    const rows = async (table: "mcp_oauth_codes" | "mcp_oauth_refresh_tokens") =>
      (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE client_id = ?`)
        .bind(hand.clientId)
        .first<{ n: number }>())!.n;
    await purgeSpentOAuthRows(env.DB);
    expect(await rows("mcp_oauth_codes")).toBe(1);
    expect((await hand.exchange(hand.code, hand.verifier)).status).toBe(200);
    const unused = await consentAs(cookie, hand.authorize);
    expect(await rows("mcp_oauth_codes")).toBe(2);
    // The used code goes; the unused one and the refresh token stay until they expire.
    expect(await purgeSpentOAuthRows(env.DB)).toBeGreaterThanOrEqual(1);
    expect(await rows("mcp_oauth_codes")).toBe(1);
    expect(await rows("mcp_oauth_refresh_tokens")).toBe(1);
    await purgeSpentOAuthRows(env.DB, Date.now() + 6 * 60 * 1000);
    expect(await rows("mcp_oauth_codes")).toBe(0);
    expect((await hand.exchange(unused, hand.verifier)).status).toBe(400);
    expect(await rows("mcp_oauth_refresh_tokens")).toBe(1);
    await purgeSpentOAuthRows(env.DB, Date.now() + 31 * 24 * 60 * 60 * 1000);
    expect(await rows("mcp_oauth_refresh_tokens")).toBe(0);
  });
});
