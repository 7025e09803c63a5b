import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  GOOGLE_FAKE_CLIENT_ID,
  GOOGLE_FAKE_CLIENT_SECRET,
  GOOGLE_FAKE_USER,
} from "../../../connectors/google/fake/credentials";
import { newUser, type TestUser } from "../../test/api-client";
import type { Env } from "../core/env";
import {
  ConnectionUnavailableError,
  GOOGLE_RECONNECT_MESSAGE,
  accessTokenAfterUnauthorized,
  credentialForOwner,
  freshAccessToken,
} from "./access-tokens";
import { findConnectionById } from "./connection-repository";
import { readCredential } from "./connection-secrets";
import type { OAuthCredential } from "./stored-credential";
import { type ApiAnswer, callWithEnv, recordedText } from "../../test/connections";
import { fakeRequests } from "../../../connectors/testing/fake-requests";

// The platform's Google client, registered at the fake. Production sets these as secrets.
const GOOGLE_ENV: Partial<Env> = {
  GOOGLE_CLIENT_ID: GOOGLE_FAKE_CLIENT_ID,
  GOOGLE_CLIENT_SECRET: GOOGLE_FAKE_CLIENT_SECRET,
};
const googleEnv = { ...env, ...GOOGLE_ENV };
const CALLBACK = "http://localhost:8787/api/connections/google/callback";

async function fakeSwitch(name: string, body: unknown): Promise<void> {
  const response = await fetch(`${env.GOOGLE_OAUTH_BASE}/__fake/oauth/${name}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
}

/** Starts the flow, lets the fake's consent screen approve, and returns the callback path the browser would open. */
async function authorize(user: TestUser, overrides: Partial<Env> = GOOGLE_ENV, body: unknown = {}) {
  const started = await callWithEnv(overrides, user, "PUT", "/api/connections/google", body);
  expect(started.status).toBe(200);
  const authorizationUrl = new URL(started.body.authorizationUrl as string);
  const consent = await fetch(authorizationUrl, { redirect: "manual" });
  expect(consent.status).toBe(302);
  const back = new URL(consent.headers.get("location")!);
  expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
  return { started, authorizationUrl, callbackPath: `${back.pathname}${back.search}`, back };
}

async function connectGoogle(user: TestUser, overrides: Partial<Env> = GOOGLE_ENV, body: unknown = {}) {
  const flow = await authorize(user, overrides, body);
  const callback = await callWithEnv(overrides, user, "GET", flow.callbackPath);
  return { ...flow, callback };
}

async function storedTokens(connectionId: string): Promise<OAuthCredential> {
  const connection = (await findConnectionById(env.DB, connectionId))!;
  const credential = await readCredential(env, connection);
  if (credential.kind !== "oauth2") throw new Error("not an OAuth credential");
  return credential;
}

async function userinfoStatus(accessToken: string): Promise<number> {
  const response = await fetch(`${env.GOOGLE_API_BASE}/oauth2/v3/userinfo`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  await response.body?.cancel();
  return response.status;
}

async function tokenRequestsWith(field: string, value: string) {
  return (await fakeRequests(env.GOOGLE_OAUTH_BASE)).filter(
    (request) => request.url === "/token" && new URLSearchParams(request.body).get(field) === value,
  );
}

describe("connecting Google (OAuth 2.0 authorization code with PKCE)", () => {
  it("runs the flow end to end: S256 challenge, offline access, state checked, code exchanged with the verifier, tokens sealed", async () => {
    const user = await newUser();
    const { authorizationUrl, callback, back } = await connectGoogle(user);

    const params = authorizationUrl.searchParams;
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(`${env.GOOGLE_OAUTH_BASE}/o/oauth2/v2/auth`);
    expect(params.get("client_id")).toBe(GOOGLE_FAKE_CLIENT_ID);
    expect(params.get("redirect_uri")).toBe(CALLBACK);
    expect(params.get("response_type")).toBe("code");
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("access_type")).toBe("offline");
    expect(params.get("scope")!.split(" ")).toEqual(
      expect.arrayContaining([
        "https://www.googleapis.com/auth/gmail.send",
        "https://www.googleapis.com/auth/spreadsheets",
      ]),
    );
    expect(params.get("state")).toMatch(/^[0-9a-f]{64}$/);
    expect(back.searchParams.get("state")).toBe(params.get("state"));

    expect(callback.status).toBe(200);
    const connection = callback.body.connection;
    expect(connection).toMatchObject({
      connector: "google",
      kind: "oauth2",
      status: "connected",
      demo: false,
      last4: null,
      account: GOOGLE_FAKE_USER.email,
    });
    expect(connection.scopes).toEqual(
      expect.arrayContaining([
        "https://www.googleapis.com/auth/calendar.events",
        "https://www.googleapis.com/auth/gmail.send",
      ]),
    );
    expect(Date.parse(connection.accessTokenExpiresAt) - Date.now()).toBeGreaterThan(3500_000);

    // The exchange sent the verifier whose SHA-256 is the challenge in the URL.
    const [exchange] = await tokenRequestsWith("code", back.searchParams.get("code")!);
    const form = new URLSearchParams(exchange!.body);
    expect(form.get("grant_type")).toBe("authorization_code");
    expect(form.get("redirect_uri")).toBe(CALLBACK);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(form.get("code_verifier")!));
    const challenge = btoa(String.fromCharCode(...new Uint8Array(digest)))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    expect(challenge).toBe(params.get("code_challenge"));

    const tokens = await storedTokens(connection.id);
    expect(await userinfoStatus(tokens.accessToken)).toBe(200);
    expect(await credentialForOwner(googleEnv, user.id, "google")).toMatchObject({
      connectionId: connection.id,
      token: tokens.accessToken,
    });
    // No pending flow (nor its sealed verifier) is left behind.
    expect(
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM oauth_flows WHERE owner_id = ?")
        .bind(user.id)
        .first<{ n: number }>())!.n,
    ).toBe(0);
    expect(
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM vault_secrets WHERE owner_id = ?")
        .bind(user.id)
        .first<{ n: number }>())!.n,
    ).toBe(1);
  });

  it("a state works once, only for the user who started the flow, and a forged one never", async () => {
    const [owner, other] = [await newUser(), await newUser()];
    const { callbackPath, back } = await authorize(owner);

    const forged = new URL(back);
    forged.searchParams.set("state", "0".repeat(64));
    expect((await callWithEnv(GOOGLE_ENV, owner, "GET", `${forged.pathname}${forged.search}`)).status).toBe(400);
    const stolen = await callWithEnv(GOOGLE_ENV, other, "GET", callbackPath);
    expect(stolen.status).toBe(400);
    expect((await other.call("GET", "/api/connections")).body.connections).toEqual([]);

    expect((await callWithEnv(GOOGLE_ENV, owner, "GET", callbackPath)).status).toBe(200);
    const replay = await callWithEnv(GOOGLE_ENV, owner, "GET", callbackPath);
    expect(replay.status).toBe(400);
    expect(replay.body.error.message).toContain("already used");
    expect((await callWithEnv(GOOGLE_ENV, owner, "GET", "/api/connections/google/callback?code=abc")).status).toBe(400);
  });

  it("does not refresh a token with time left, and refreshes one about to expire before handing it out", async () => {
    const user = await newUser();
    const { callback } = await connectGoogle(user);
    const id = callback.body.connection.id as string;
    const first = await storedTokens(id);
    expect(await freshAccessToken(googleEnv, id)).toBe(first.accessToken);
    expect(await tokenRequestsWith("refresh_token", first.refreshToken)).toHaveLength(0);

    // Google hands out tokens that live only a minute: inside the refresh margin.
    await fakeSwitch("access-token-lifetime", { seconds: 60 });
    try {
      const short = await connectGoogle(user);
      expect(short.callback.body.connection.id).toBe(id);
      const shortLived = await storedTokens(id);
      const refreshed = await freshAccessToken(googleEnv, id);
      expect(refreshed).not.toBe(shortLived.accessToken);
      expect(await tokenRequestsWith("refresh_token", shortLived.refreshToken)).toHaveLength(1);
      expect((await storedTokens(id)).accessToken).toBe(refreshed);
      expect(await userinfoStatus(refreshed)).toBe(200);
    } finally {
      await fakeSwitch("access-token-lifetime", {});
    }
  });

  it("after an upstream 401 gets a new access token once, however many requests saw the 401", async () => {
    const user = await newUser();
    const { callback } = await connectGoogle(user);
    const id = callback.body.connection.id as string;
    const before = await storedTokens(id);
    await fakeSwitch("expire-access-tokens", { accessTokens: [before.accessToken] });
    // Kiln still believes the token is good (its expiry is an hour away); Google says 401.
    const stale = await freshAccessToken(googleEnv, id);
    expect(stale).toBe(before.accessToken);
    expect(await userinfoStatus(stale)).toBe(401);

    const [a, b] = await Promise.all([
      accessTokenAfterUnauthorized(googleEnv, id, stale),
      accessTokenAfterUnauthorized(googleEnv, id, stale),
    ]);
    expect(a).toBe(b);
    expect(a).not.toBe(stale);
    expect(await userinfoStatus(a)).toBe(200);
    // A late request that also saw the old token's 401 gets the new token without another refresh.
    expect(await accessTokenAfterUnauthorized(googleEnv, id, stale)).toBe(a);
    expect(await tokenRequestsWith("refresh_token", before.refreshToken)).toHaveLength(1);

    // The test endpoint takes the same path: expired token, 401, refresh, check passes.
    await fakeSwitch("expire-access-tokens", { accessTokens: [a] });
    const tested = await callWithEnv(GOOGLE_ENV, user, "POST", `/api/connections/${id}/test`);
    expect(tested.body.result.ok).toBe(true);
    expect((await storedTokens(id)).accessToken).not.toBe(a);
  });

  it("stores a refresh token Google rotated, and keeps working with it", async () => {
    const user = await newUser();
    await fakeSwitch("rotate-refresh-tokens", { enabled: true });
    try {
      const { callback } = await connectGoogle(user);
      const id = callback.body.connection.id as string;
      const original = await storedTokens(id);
      await accessTokenAfterUnauthorized(googleEnv, id, original.accessToken);
      const rotated = await storedTokens(id);
      expect(rotated.refreshToken).not.toBe(original.refreshToken);
      // The old refresh token is dead at the fake, so a second refresh only works with the stored new one.
      const again = await accessTokenAfterUnauthorized(googleEnv, id, rotated.accessToken);
      expect(await userinfoStatus(again)).toBe(200);
      expect((await findConnectionById(env.DB, id))!.status).toBe("connected");
    } finally {
      await fakeSwitch("rotate-refresh-tokens", { enabled: false });
    }
  });

  it("a revoked grant marks the connection needs_reconnect with what to do, audited; reconnecting fixes it", async () => {
    const user = await newUser();
    const { callback } = await connectGoogle(user);
    const id = callback.body.connection.id as string;
    const tokens = await storedTokens(id);
    await fakeSwitch("revoke-all", { refreshTokens: [tokens.refreshToken] });

    const failure = await accessTokenAfterUnauthorized(googleEnv, id, tokens.accessToken).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConnectionUnavailableError);
    expect(failure).toMatchObject({ reason: "needs_reconnect", message: GOOGLE_RECONNECT_MESSAGE });
    const listed = await callWithEnv(GOOGLE_ENV, user, "GET", "/api/connections");
    expect(listed.body.connections[0]).toMatchObject({
      id,
      status: "needs_reconnect",
      statusMessage: "Google access was revoked or expired — reconnect Google",
    });
    await expect(credentialForOwner(googleEnv, user.id, "google")).rejects.toMatchObject({ reason: "needs_reconnect" });
    const tested = await callWithEnv(GOOGLE_ENV, user, "POST", `/api/connections/${id}/test`);
    expect(tested.body.result).toEqual({ ok: false, message: GOOGLE_RECONNECT_MESSAGE });

    const audit = await env.DB.prepare(
      "SELECT detail_json FROM audit_events WHERE user_id = ? AND action = 'connection.refresh_failed'",
    )
      .bind(user.id)
      .all<{ detail_json: string }>();
    expect(audit.results.map((row) => JSON.parse(row.detail_json))).toEqual([
      { connectionId: id, connector: "google", reason: "invalid_grant", status: "needs_reconnect" },
    ]);
    // The owner is alerted once (by mail, in the local outbox here), with a link to Connections.
    const alerts = await user.call("GET", "/api/alerts");
    expect(alerts.body.alerts).toHaveLength(1);
    expect(alerts.body.alerts[0]).toMatchObject({
      kind: "connection_needs_reconnect",
      subject: "google",
      appId: null,
      email: "sent",
      title: "Your Google connection needs reconnecting",
      link: "http://localhost:8787/connections",
    });
    const mails = await env.DB.prepare("SELECT subject FROM outbox WHERE to_email = ?").bind(user.email).all();
    expect(mails.results).toEqual([{ subject: "[Kiln] Your Google connection needs reconnecting" }]);

    const reconnected = await connectGoogle(user);
    expect(reconnected.callback.body.connection).toMatchObject({ id, status: "connected", statusMessage: null });
    expect(await userinfoStatus(await freshAccessToken(googleEnv, id))).toBe(200);
  });

  it("disconnecting revokes the grant at Google and deletes the tokens", async () => {
    const user = await newUser();
    const { callback } = await connectGoogle(user);
    const id = callback.body.connection.id as string;
    const tokens = await storedTokens(id);
    const del = await callWithEnv(GOOGLE_ENV, user, "DELETE", `/api/connections/${id}`);
    expect(del.body).toEqual({ ok: true, revoked: true });
    expect(await userinfoStatus(tokens.accessToken)).toBe(401);
    expect(await findConnectionById(env.DB, id)).toBeNull();
    expect(
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM vault_secrets WHERE record_id = ?")
        .bind(id)
        .first<{ n: number }>())!.n,
    ).toBe(0);
  });

  it("sends the owner back to returnTo, with the connection id or the reason it failed", async () => {
    const user = await newUser();
    const { callback } = await connectGoogle(user, GOOGLE_ENV, { returnTo: "/apps" });
    expect(callback.status).toBe(302);
    const landed = new URL(callback.headers.get("location")!);
    expect(`${landed.origin}${landed.pathname}`).toBe("http://localhost:8787/apps");
    expect(landed.searchParams.get("connection")).toMatch(/^con_/);

    await fakeSwitch("consent", { approve: false });
    try {
      const denied = await connectGoogle(user, GOOGLE_ENV, { returnTo: "/apps" });
      const target = new URL(denied.callback.headers.get("location")!);
      expect(target.searchParams.get("connectionError")).toBe(
        "Google did not grant access (access_denied). Start connecting Google again and allow access.",
      );
    } finally {
      await fakeSwitch("consent", { approve: true });
    }
    expect(
      (await callWithEnv(GOOGLE_ENV, user, "PUT", "/api/connections/google", { returnTo: "//evil.example/" })).status,
    ).toBe(400);
  });

  it("needs the platform's Google client unless it is a demo, and offers the demo only in demo mode", async () => {
    const user = await newUser();
    const unset = await user.call("PUT", "/api/connections/google", {});
    expect(unset.status).toBe(503);
    expect(unset.body.error.message).toContain("GOOGLE_CLIENT_ID");
    expect((await user.call("GET", "/api/connections")).body.connectors[2]).toMatchObject({
      id: "google",
      available: false,
      demoAvailable: false,
    });
    expect((await user.call("PUT", "/api/connections/google", { demo: true })).status).toBe(400);

    // Demo mode: the real flow against the fake with the fake's client, no platform client needed.
    const { callback, authorizationUrl } = await connectGoogle(user, { KILN_DEMO_CONNECTIONS: "1" }, { demo: true });
    expect(authorizationUrl.searchParams.get("client_id")).toBe(GOOGLE_FAKE_CLIENT_ID);
    expect(callback.body.connection).toMatchObject({ connector: "google", demo: true, status: "connected" });
    expect((await user.call("GET", "/api/connections")).body.connections[0].demo).toBe(true);
    // Its refreshes use the fake's client too.
    const id = callback.body.connection.id as string;
    const tokens = await storedTokens(id);
    expect(await accessTokenAfterUnauthorized(env, id, tokens.accessToken)).not.toBe(tokens.accessToken);
  });

  it("no token, verifier or client secret appears in an API response, audit record or app log", async () => {
    const user = await newUser();
    const answers: ApiAnswer[] = [];
    const { started, callback, back } = await connectGoogle(user);
    answers.push(started, callback);
    const id = callback.body.connection.id as string;
    const first = await storedTokens(id);
    await accessTokenAfterUnauthorized(googleEnv, id, first.accessToken);
    const second = await storedTokens(id);
    answers.push(
      await callWithEnv(GOOGLE_ENV, user, "GET", "/api/connections"),
      await callWithEnv(GOOGLE_ENV, user, "POST", `/api/connections/${id}/test`),
    );
    await fakeSwitch("revoke-all", { refreshTokens: [second.refreshToken] });
    await accessTokenAfterUnauthorized(googleEnv, id, second.accessToken).catch(() => null);
    answers.push(await callWithEnv(GOOGLE_ENV, user, "DELETE", `/api/connections/${id}`));

    const [exchange] = await tokenRequestsWith("code", back.searchParams.get("code")!);
    const verifier = new URLSearchParams(exchange!.body).get("code_verifier")!;
    const secrets = [
      first.accessToken,
      first.refreshToken,
      second.accessToken,
      verifier,
      GOOGLE_FAKE_CLIENT_SECRET,
      back.searchParams.get("code")!,
    ];
    const recorded = await recordedText();
    for (const secret of secrets) {
      for (const answer of answers) expect(answer.text).not.toContain(secret);
      expect(recorded).not.toContain(secret);
    }
  });
});
