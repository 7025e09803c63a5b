import type { CurrentUser } from "../core/records";
import { newId, newSecret, nowIso, sha256Hex } from "../core/ids";

/** How long a browser session lasts. */
export const SESSION_TTL_SECONDS = 30 * 24 * 3600;
/** Bearer tokens start with this, so a leaked one is recognisable in a scan. */
export const TOKEN_PREFIX = "kiln_pat_";

/** Creates a session and returns the cookie value (stored only as a hash). */
export async function createSession(db: D1Database, userId: string): Promise<string> {
  const secret = newSecret();
  const expires = new Date(Date.now() + SESSION_TTL_SECONDS * 1000).toISOString();
  await db
    .prepare("INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
    .bind(newId("ses"), userId, await sha256Hex(secret), nowIso(), expires)
    .run();
  return secret;
}

/** Ends the session identified by a cookie value; unknown values are ignored. */
export async function deleteSession(db: D1Database, secret: string): Promise<void> {
  await db
    .prepare("DELETE FROM sessions WHERE token_hash = ?")
    .bind(await sha256Hex(secret))
    .run();
}

/** The user a live session cookie belongs to, or null. */
export async function userForSession(db: D1Database, secret: string): Promise<CurrentUser | null> {
  return db
    .prepare(
      "SELECT u.id, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?",
    )
    .bind(await sha256Hex(secret), nowIso())
    .first<CurrentUser>();
}

/** A bearer token as listed to its owner: never the token itself. */
export interface TokenSummary {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Creates a bearer token; the returned `token` is shown once and stored only as a hash. */
export async function createApiToken(
  db: D1Database,
  userId: string,
  name: string,
): Promise<TokenSummary & { token: string }> {
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  const summary: TokenSummary = { id: newId("tok"), name, createdAt: nowIso(), lastUsedAt: null };
  await db
    .prepare("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)")
    .bind(summary.id, userId, name, await sha256Hex(token), summary.createdAt)
    .run();
  return { ...summary, token };
}

/** The user a bearer token belongs to, or null; records when it was last used. */
export async function userForToken(db: D1Database, token: string): Promise<CurrentUser | null> {
  const hash = await sha256Hex(token);
  const row = await db
    .prepare(
      "SELECT t.id AS tokenId, u.id, u.email FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
    )
    .bind(hash)
    .first<CurrentUser & { tokenId: string }>();
  if (!row) return null;
  await db.prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?").bind(nowIso(), row.tokenId).run();
  return { id: row.id, email: row.email };
}

/** The caller's tokens, newest first. */
export async function listApiTokens(db: D1Database, userId: string): Promise<TokenSummary[]> {
  const { results } = await db
    .prepare(
      "SELECT id, name, created_at AS createdAt, last_used_at AS lastUsedAt FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC",
    )
    .bind(userId)
    .all<TokenSummary>();
  return results;
}

/** Revokes one of the caller's tokens; false when it is not theirs or does not exist. */
export async function deleteApiToken(db: D1Database, userId: string, tokenId: string): Promise<boolean> {
  const result = await db.prepare("DELETE FROM api_tokens WHERE id = ? AND user_id = ?").bind(tokenId, userId).run();
  return result.meta.changes > 0;
}
