// The Google fake's OAuth 2.0 endpoints, through plain fetch, as Kiln's control
// plane will use them: authorization code + PKCE, refresh, rotation, revocation, expiry.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { authorize, pkcePair, runAuthorizationFlow, tokenRequest, type TokenAnswer } from "./fake/authorization-flow";
import { GOOGLE_FAKE_CLIENT_ID, GOOGLE_FAKE_REFRESH_TOKEN, GOOGLE_FAKE_USER } from "./fake/credentials";
import { GOOGLE_SCOPES } from "./oauth";

function oauthBase(): string {
  if (!env.GOOGLE_OAUTH_BASE) throw new Error("GOOGLE_OAUTH_BASE is not set: the Google fake did not start");
  return env.GOOGLE_OAUTH_BASE;
}

const REDIRECT = "http://localhost:8787/oauth/google/callback";

function control(path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${oauthBase()}/__fake/oauth/${path}`, { method: "POST", body: JSON.stringify(body) });
}

/** A calendar call with `accessToken`, to see whether the fake's APIs accept it. */
function apiStatus(accessToken: string): Promise<number> {
  return fetch(`${env.GOOGLE_API_BASE}/calendar/v3/calendars/primary/events?maxResults=1`, {
    headers: { authorization: `Bearer ${accessToken}` },
  }).then((response) => response.status);
}

function refresh(refreshToken: string): Promise<Response> {
  return tokenRequest(oauthBase(), { grant_type: "refresh_token", refresh_token: refreshToken });
}

async function codeFor(challenge: string, extra: { prompt?: string } = {}): Promise<string> {
  const redirect = await authorize(oauthBase(), {
    scopes: GOOGLE_SCOPES,
    redirectUri: REDIRECT,
    state: "s-123",
    challenge,
    ...extra,
  });
  return new URL(redirect.headers.get("location") as string).searchParams.get("code") as string;
}

describe("Google fake: authorization endpoint", () => {
  it("auto-approves and redirects back with code, state and the granted scopes", async () => {
    const { challenge } = await pkcePair();
    const redirect = await authorize(oauthBase(), {
      scopes: GOOGLE_SCOPES,
      redirectUri: REDIRECT,
      state: "s-123",
      challenge,
    });
    expect(redirect.status).toBe(302);
    const back = new URL(redirect.headers.get("location") as string);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe("s-123");
    expect(back.searchParams.get("code")).toMatch(/^4\/0A/);
    expect(back.searchParams.get("scope")?.split(" ")).toEqual([
      "openid",
      "https://www.googleapis.com/auth/userinfo.email",
      ...GOOGLE_SCOPES.filter((scope) => scope.startsWith("https://")),
    ]);
  });

  it("shows Google's error page, never a redirect, for a bad request", async () => {
    const { challenge } = await pkcePair();
    const cases: [Record<string, string>, number, string][] = [
      [{ client_id: "someone-else.apps.googleusercontent.com" }, 401, "invalid_client"],
      [{ redirect_uri: "https://attacker.example/callback" }, 400, "redirect_uri_mismatch"],
      [{ response_type: "token" }, 400, "unsupported_response_type"],
      [{ scope: "https://www.googleapis.com/auth/everything" }, 400, "invalid_scope"],
      [{ code_challenge_method: "plain" }, 400, "invalid_request"],
      [{ code_challenge: "" }, 400, "invalid_request"],
      [{ state: "" }, 400, "invalid_request"],
    ];
    for (const [override, status, error] of cases) {
      const query = new URLSearchParams({
        client_id: GOOGLE_FAKE_CLIENT_ID,
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: GOOGLE_SCOPES.join(" "),
        state: "s",
        code_challenge: challenge,
        code_challenge_method: "S256",
        access_type: "offline",
        ...override,
      });
      const response = await fetch(`${oauthBase()}/o/oauth2/v2/auth?${query}`, { redirect: "manual" });
      expect({ override, status: response.status, location: response.headers.get("location") }).toEqual({
        override,
        status,
        location: null,
      });
      expect(await response.text()).toContain(`Error ${status}: ${error}`);
    }
  });

  it("redirects with error=access_denied when consent is switched to deny", async () => {
    const { challenge } = await pkcePair();
    await control("consent", { approve: false });
    try {
      const redirect = await authorize(oauthBase(), {
        scopes: GOOGLE_SCOPES,
        redirectUri: REDIRECT,
        state: "s-9",
        challenge,
      });
      const back = new URL(redirect.headers.get("location") as string);
      expect(Object.fromEntries(back.searchParams)).toEqual({ state: "s-9", error: "access_denied" });
    } finally {
      await control("consent", { approve: true });
    }
  });
});

describe("Google fake: token endpoint", () => {
  it("exchanges code + PKCE verifier for tokens; the code works once", async () => {
    const { verifier, challenge } = await pkcePair();
    const code = await codeFor(challenge);
    const exchange = () =>
      tokenRequest(oauthBase(), {
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      });
    const response = await exchange();
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as TokenAnswer;
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.refresh_token).toMatch(/^1\/\/0/);
    expect(tokens.scope.split(" ")).toContain("https://www.googleapis.com/auth/gmail.send");
    const claims = JSON.parse(
      atob((tokens.id_token as string).split(".")[1].replace(/-/g, "+").replace(/_/g, "/")),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: "https://accounts.google.com",
      aud: GOOGLE_FAKE_CLIENT_ID,
      sub: GOOGLE_FAKE_USER.sub,
      email: GOOGLE_FAKE_USER.email,
    });
    expect(await apiStatus(tokens.access_token)).toBe(200);

    const reused = await exchange();
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual({ error: "invalid_grant", error_description: "Bad Request" });
  });

  it("refuses a wrong or missing verifier, another redirect_uri and a wrong client secret", async () => {
    const { verifier, challenge } = await pkcePair();
    const code = await codeFor(challenge);
    const other = await pkcePair();
    const attempt = (fields: Record<string, string>) =>
      tokenRequest(oauthBase(), { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...fields });

    const wrong = await attempt({ code_verifier: other.verifier });
    expect([wrong.status, await wrong.json()]).toEqual([
      400,
      { error: "invalid_grant", error_description: "Invalid code verifier." },
    ]);
    const missing = await attempt({});
    expect([missing.status, await missing.json()]).toEqual([
      400,
      { error: "invalid_grant", error_description: "Missing code verifier." },
    ]);
    const elsewhere = await attempt({ code_verifier: verifier, redirect_uri: "http://localhost:9999/other" });
    expect([elsewhere.status, ((await elsewhere.json()) as { error: string }).error]).toEqual([
      400,
      "redirect_uri_mismatch",
    ]);
    const badSecret = await attempt({ code_verifier: verifier, client_secret: "GOCSPX-wrong" });
    expect([badSecret.status, ((await badSecret.json()) as { error: string }).error]).toEqual([401, "invalid_client"]);
    const json = await fetch(`${oauthBase()}/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "authorization_code", code }),
    });
    expect(((await json.json()) as { error: string }).error).toBe("invalid_request");
    // None of those used the code up.
    expect((await attempt({ code_verifier: verifier })).status).toBe(200);
  });

  it("refreshes: a new access token, the same refresh token (unless rotation is on)", async () => {
    const tokens = await runAuthorizationFlow(oauthBase(), { scopes: GOOGLE_SCOPES, redirectUri: REDIRECT });
    const response = await refresh(tokens.refresh_token as string);
    expect(response.status).toBe(200);
    const refreshed = (await response.json()) as TokenAnswer;
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBeUndefined();
    expect(refreshed.scope).toBe(tokens.scope);
    expect(await apiStatus(refreshed.access_token)).toBe(200);
    expect(await apiStatus(tokens.access_token)).toBe(200);

    await control("rotate-refresh-tokens", { enabled: true });
    try {
      const rotated = (await (await refresh(tokens.refresh_token as string)).json()) as TokenAnswer;
      expect(rotated.refresh_token).toMatch(/^1\/\/0/);
      expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
      const old = await refresh(tokens.refresh_token as string);
      expect([old.status, await old.json()]).toEqual([
        400,
        { error: "invalid_grant", error_description: "Token has been expired or revoked." },
      ]);
      expect((await refresh(rotated.refresh_token as string)).status).toBe(200);
    } finally {
      await control("rotate-refresh-tokens", { enabled: false });
    }
  });

  it("sends a refresh token again only when consent is prompted", async () => {
    await runAuthorizationFlow(oauthBase(), { scopes: GOOGLE_SCOPES, redirectUri: REDIRECT });
    const silent = await runAuthorizationFlow(oauthBase(), {
      scopes: GOOGLE_SCOPES,
      redirectUri: REDIRECT,
      prompt: "select_account",
    });
    expect(silent.refresh_token).toBeUndefined();
    const online = await runAuthorizationFlow(oauthBase(), {
      scopes: GOOGLE_SCOPES,
      redirectUri: REDIRECT,
      accessType: "online",
    });
    expect(online.refresh_token).toBeUndefined();
  });
});

describe("Google fake: expiry and revocation", () => {
  it("expired access tokens get Google's real 401; a refresh brings a working one", async () => {
    const tokens = await runAuthorizationFlow(oauthBase(), { scopes: GOOGLE_SCOPES, redirectUri: REDIRECT });
    await control("expire-access-tokens", { accessTokens: [tokens.access_token] });
    const expired = await fetch(`${env.GOOGLE_API_BASE}/calendar/v3/calendars/primary/events`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(await expired.json()).toMatchObject({
      error: {
        code: 401,
        status: "UNAUTHENTICATED",
        message: expect.stringContaining("Request had invalid authentication credentials"),
      },
    });
    const fresh = (await (await refresh(tokens.refresh_token as string)).json()) as TokenAnswer;
    expect(await apiStatus(fresh.access_token)).toBe(200);
  });

  it("a short lifetime makes new access tokens expire on their own", async () => {
    await control("access-token-lifetime", { seconds: 1 });
    let tokens: TokenAnswer;
    try {
      tokens = await runAuthorizationFlow(oauthBase(), { scopes: GOOGLE_SCOPES, redirectUri: REDIRECT });
    } finally {
      await control("access-token-lifetime", {});
    }
    expect(tokens.expires_in).toBe(1);
    expect(await apiStatus(tokens.access_token)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await apiStatus(tokens.access_token)).toBe(401);
  });

  it("revoke-all makes refreshes fail with invalid_grant; /revoke ends a whole grant", async () => {
    const first = await runAuthorizationFlow(oauthBase(), {
      scopes: GOOGLE_SCOPES,
      redirectUri: REDIRECT,
      prompt: "consent",
    });
    await control("revoke-all", { refreshTokens: [first.refresh_token] });
    const refused = await refresh(first.refresh_token as string);
    expect([refused.status, await refused.json()]).toEqual([
      400,
      { error: "invalid_grant", error_description: "Token has been expired or revoked." },
    ]);
    // The ready-made grant other tests rely on was left alone.
    expect((await refresh(GOOGLE_FAKE_REFRESH_TOKEN)).status).toBe(200);

    const second = await runAuthorizationFlow(oauthBase(), {
      scopes: GOOGLE_SCOPES,
      redirectUri: REDIRECT,
      prompt: "consent",
    });
    const revoke = await fetch(`${oauthBase()}/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: second.access_token }),
    });
    expect(revoke.status).toBe(200);
    expect(await apiStatus(second.access_token)).toBe(401);
    expect((await refresh(second.refresh_token as string)).status).toBe(400);
    const twice = await fetch(`${oauthBase()}/revoke?token=${encodeURIComponent(second.access_token)}`, {
      method: "POST",
    });
    expect([twice.status, await twice.json()]).toEqual([
      400,
      { error: "invalid_token", error_description: "Token expired or revoked" },
    ]);
  });
});
