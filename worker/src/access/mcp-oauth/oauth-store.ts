// D1 rows of OAuth for MCP clients: registered clients, one-time codes and refresh tokens, each bound to the app
// environment (app id + preview/live) it was made on, so nothing made on one app host works on another.
import type { Environment } from "../../core/env";
import { newSecret, sha256Hex } from "../../core/ids";

/** Where a client, code or token belongs: one environment of one app. */
export interface OAuthPlace {
  appId: string;
  environment: Environment;
}

/** A client as it registered (public: no secret; it proves itself with PKCE and its exact redirect URI). */
export interface OAuthClient {
  id: string;
  name: string;
  redirectUris: string[];
}

/** What a redeemed code or refresh token grants: this email, through this client. */
export interface OAuthGrant {
  clientId: string;
  email: string;
}

/** A code works once, for this long: the client exchanges it at once. */
export const CODE_SECONDS = 5 * 60;
/** A refresh token lasts this long, and is replaced by a new one on each use. */
export const REFRESH_SECONDS = 30 * 24 * 60 * 60;

const hashOf = (kind: "code" | "refresh", secret: string) => sha256Hex(`mcp-${kind}:${secret}`);

/** Registers a client on one app environment; answers its id. */
export async function registerClient(db: D1Database, place: OAuthPlace, name: string, redirectUris: string[]) {
  const id = `mcp_${newSecret(12)}`;
  await db
    .prepare(
      "INSERT INTO mcp_oauth_clients (id, app_id, environment, name, redirect_uris_json, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id, place.appId, place.environment, name, JSON.stringify(redirectUris), new Date().toISOString())
    .run();
  return id;
}

/** A client registered on this very app environment, or null (unknown, or another app's or environment's). */
export async function findClient(db: D1Database, place: OAuthPlace, id: string): Promise<OAuthClient | null> {
  const row = await db
    .prepare(
      "SELECT id, name, redirect_uris_json FROM mcp_oauth_clients WHERE id = ? AND app_id = ? AND environment = ?",
    )
    .bind(id, place.appId, place.environment)
    .first<{ id: string; name: string; redirect_uris_json: string }>();
  return row ? { id: row.id, name: row.name, redirectUris: JSON.parse(row.redirect_uris_json) as string[] } : null;
}

/** Issues a one-time code for `email` through `clientId`, bound to its redirect URI and PKCE challenge. */
export async function issueCode(
  db: D1Database,
  place: OAuthPlace,
  grant: OAuthGrant & { redirectUri: string; codeChallenge: string },
): Promise<string> {
  const code = newSecret(32);
  await db
    .prepare(
      `INSERT INTO mcp_oauth_codes (code_hash, client_id, app_id, environment, email, redirect_uri, code_challenge, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      await hashOf("code", code),
      grant.clientId,
      place.appId,
      place.environment,
      grant.email,
      grant.redirectUri,
      grant.codeChallenge,
      Date.now() + CODE_SECONDS * 1000,
    )
    .run();
  return code;
}

/** What the client presents with a code: it must match what the code was issued for (S256 of its verifier). */
export interface CodeRedemption {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
}

/**
 * Marks a code used and answers the email it grants, or null: unknown, of another app environment, expired, used
 * before, or presented by another client, with another redirect URI or a wrong verifier. The one conditional UPDATE
 * makes two redemptions race safely, and leaves a code presented wrongly usable by its real client.
 */
export async function redeemCode(
  db: D1Database,
  place: OAuthPlace,
  code: string,
  presented: CodeRedemption,
): Promise<string | null> {
  const row = await db
    .prepare(
      `UPDATE mcp_oauth_codes SET used_at = ?1 WHERE code_hash = ?2 AND app_id = ?3 AND environment = ?4
         AND used_at IS NULL AND expires_at > ?1 AND client_id = ?5 AND redirect_uri = ?6 AND code_challenge = ?7
       RETURNING email`,
    )
    .bind(
      Date.now(),
      await hashOf("code", code),
      place.appId,
      place.environment,
      presented.clientId,
      presented.redirectUri,
      presented.codeChallenge,
    )
    .first<{ email: string }>();
  return row?.email ?? null;
}

/** Issues a refresh token for a grant (stored as its hash only). */
export async function issueRefreshToken(db: D1Database, place: OAuthPlace, grant: OAuthGrant): Promise<string> {
  const token = newSecret(32);
  await db
    .prepare(
      "INSERT INTO mcp_oauth_refresh_tokens (token_hash, client_id, app_id, environment, email, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(
      await hashOf("refresh", token),
      grant.clientId,
      place.appId,
      place.environment,
      grant.email,
      Date.now() + REFRESH_SECONDS * 1000,
    )
    .run();
  return token;
}

/** Spends a refresh token of this app environment and client (each works once: rotation), answering its grant. */
export async function spendRefreshToken(
  db: D1Database,
  place: OAuthPlace,
  clientId: string,
  token: string,
): Promise<OAuthGrant | null> {
  const row = await db
    .prepare(
      `DELETE FROM mcp_oauth_refresh_tokens WHERE token_hash = ? AND app_id = ? AND environment = ? AND client_id = ?
         AND expires_at > ? RETURNING client_id, email`,
    )
    .bind(await hashOf("refresh", token), place.appId, place.environment, clientId, Date.now())
    .first<{ client_id: string; email: string }>();
  return row ? { clientId: row.client_id, email: row.email } : null;
}

/**
 * Deletes codes that were used or expired and refresh tokens that expired, on every app environment: nothing reads
 * them again, and the platform's minute cron keeps the tables to what is live. Answers how many rows went.
 */
export async function purgeSpentOAuthRows(db: D1Database, now = Date.now()): Promise<number> {
  const [codes, tokens] = await db.batch([
    db.prepare("DELETE FROM mcp_oauth_codes WHERE used_at IS NOT NULL OR expires_at <= ?").bind(now),
    db.prepare("DELETE FROM mcp_oauth_refresh_tokens WHERE expires_at <= ?").bind(now),
  ]);
  return (codes?.meta.changes ?? 0) + (tokens?.meta.changes ?? 0);
}
