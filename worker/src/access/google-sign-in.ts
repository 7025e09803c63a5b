import type { AppRecord } from "../core/records";
import { connectionKeyring } from "../connections/connection-secrets";
import { googleClientConfigured, googleClientFor, googleEndpoints } from "../connections/google-client";
import { authorizationUrl, exchangeCode, newPkcePair } from "../connections/google-oauth";
import type { Env, Environment } from "../core/env";
import { newSecret, sha256Hex, toHex } from "../core/ids";
import { deleteSecretStatement, readSecret, storeSecretStatement } from "../vault/vault-store";

/** How long a visitor has to finish at Google. */
export const GOOGLE_FLOW_TTL_MS = 10 * 60_000;

/** Where Google sends visitors back: one fixed address on Kiln's host (Google cannot list every app host). */
export const GOOGLE_CALLBACK_PATH = "/api/visitor-auth/google/callback";

// A visitor's sign-in asks for the least: who they are, once, letting them pick among their accounts.
const VISITOR_REQUEST = { scopes: ["openid", "email"], params: { prompt: "select_account" } } as const;

/** Whether an app's sign-in page offers Google: the operator registered a Google client and Kiln knows its URL. */
export function googleSignInAvailable(env: Env): boolean {
  return googleClientConfigured(env) && Boolean(env.KILN_URL);
}

/** A flow started for one environment of an app: where the browser goes, and the state it must bring back. */
export interface StartedGoogleSignIn {
  authorizationUrl: string;
  state: string;
}

/** Records a flow (dropping lapsed ones) with its sealed PKCE verifier and answers Google's authorization URL. */
export async function startGoogleSignIn(
  env: Env,
  target: { app: AppRecord; environment: Environment; next: string },
  now = Date.now(),
): Promise<StartedGoogleSignIn> {
  const keyring = await connectionKeyring(env);
  const id = `vgf_${toHex(crypto.getRandomValues(new Uint8Array(10)))}`;
  const state = newSecret(32);
  const pkce = await newPkcePair();
  await env.DB.batch([
    env.DB.prepare(
      "DELETE FROM vault_secrets WHERE record_id IN (SELECT id FROM visitor_google_flows WHERE expires_at < ?)",
    ).bind(now),
    env.DB.prepare("DELETE FROM visitor_google_flows WHERE expires_at < ?").bind(now),
    await storeSecretStatement(env.DB, keyring, { ownerId: target.app.ownerId, recordId: id }, pkce.verifier),
    env.DB.prepare(
      "INSERT INTO visitor_google_flows (id, app_id, environment, state_hash, next, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).bind(id, target.app.id, target.environment, await sha256Hex(state), target.next, now + GOOGLE_FLOW_TTL_MS),
  ]);
  const url = authorizationUrl(
    googleEndpoints(env),
    googleClientFor(env, false),
    { redirectUri: callbackUrl(env), state, challenge: pkce.challenge },
    VISITOR_REQUEST,
  );
  return { authorizationUrl: url, state };
}

/** Why a Google sign-in did not finish; the sign-in page words each (no text from the URL is ever shown). */
export type GoogleProblem = "expired" | "cancelled" | "unconfirmed" | "unverified";

/** What the visitor reads for each problem, on the app's sign-in page. */
export const GOOGLE_PROBLEMS: Record<GoogleProblem, string> = {
  expired: "That Google sign-in took too long or was already used. Try again.",
  cancelled: "Google sign-in was cancelled. Sign in with Google again, or with your email.",
  unconfirmed: "Google did not confirm who you are. Try again, or sign in with your email.",
  unverified: "Google did not share a verified email address. Sign in with your email instead.",
};

/** A finished flow: who Google says the visitor is, and where they were going. */
export type GoogleSignInResult =
  | { ok: true; appId: string; environment: Environment; next: string; email: string }
  | { ok: false; appId: string | null; environment: Environment | null; next: string; problem: GoogleProblem };

/**
 * Finishes the flow Google's redirect names: takes it (once), exchanges the code and reads the verified email from
 * the ID token. Never throws for what a visitor or Google sent; the problem is in words for the sign-in page.
 */
export async function finishGoogleSignIn(env: Env, url: URL, now = Date.now()): Promise<GoogleSignInResult> {
  const state = url.searchParams.get("state") ?? "";
  const flow = state ? await takeFlow(env, state, now) : null;
  if (!flow) return { ok: false, appId: null, environment: null, next: "/", problem: "expired" };
  const failed = (problem: GoogleProblem): GoogleSignInResult => ({ ok: false, ...flow, problem });
  if (url.searchParams.get("error")) return failed("cancelled");
  const client = googleClientFor(env, false);
  const exchanged = await exchangeCode(googleEndpoints(env), client, {
    code: url.searchParams.get("code") ?? "",
    verifier: flow.verifier,
    redirectUri: callbackUrl(env),
  });
  if (!exchanged.ok) return failed("unconfirmed");
  const email = verifiedEmail(exchanged.tokens.idToken, client.clientId, now);
  if (!email) return failed("unverified");
  return { ok: true, appId: flow.appId, environment: flow.environment, next: flow.next, email };
}

/**
 * The verified email of an ID token meant for this client, or null. Its signature is not checked: the token came
 * straight from Google's token endpoint over TLS in exchange for our code (OpenID Connect Core 3.1.3.7).
 */
export function verifiedEmail(idToken: string | null, clientId: string, now = Date.now()): string | null {
  const payload = idToken?.split(".")[1];
  if (!payload) return null;
  let claims: Record<string, unknown>;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
  const issuer = claims.iss === "https://accounts.google.com" || claims.iss === "accounts.google.com";
  const fresh = typeof claims.exp === "number" && claims.exp * 1000 > now;
  if (!issuer || claims.aud !== clientId || !fresh || claims.email_verified !== true) return null;
  return typeof claims.email === "string" ? claims.email.trim().toLowerCase() : null;
}

function callbackUrl(env: Env): string {
  return new URL(GOOGLE_CALLBACK_PATH, env.KILN_URL).toString();
}

interface TakenFlow {
  appId: string;
  environment: Environment;
  next: string;
  verifier: string;
}

// Two callbacks racing with the same state: only the one whose delete changed the row goes on.
async function takeFlow(env: Env, state: string, now: number): Promise<TakenFlow | null> {
  const row = await env.DB.prepare(
    `SELECT f.id, f.app_id AS appId, f.environment, f.next, f.expires_at AS expiresAt, a.owner_id AS ownerId
     FROM visitor_google_flows f JOIN apps a ON a.id = f.app_id WHERE f.state_hash = ?`,
  )
    .bind(await sha256Hex(state))
    .first<{ id: string; appId: string; environment: Environment; next: string; expiresAt: number; ownerId: string }>();
  if (!row) return null;
  const keyring = await connectionKeyring(env);
  const verifier = await readSecret(env.DB, keyring, { ownerId: row.ownerId, recordId: row.id });
  const [, deleted] = await env.DB.batch([
    deleteSecretStatement(env.DB, row.id),
    env.DB.prepare("DELETE FROM visitor_google_flows WHERE id = ?").bind(row.id),
  ]);
  if (!deleted || deleted.meta.changes === 0 || row.expiresAt < now) return null;
  return { appId: row.appId, environment: row.environment, next: row.next, verifier };
}
