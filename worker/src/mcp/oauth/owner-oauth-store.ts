// D1 rows of OAuth for MCP clients of Kiln's own `/mcp`: registered clients, one-time codes, and access and refresh
// tokens, each code and token granted by one owner. Every secret is stored as a hash, in a domain of its kind.
import type { ClientRegistration } from "../../oauth/client-registration";
import { newSecret, sha256Hex } from "../../core/ids";
import type { CurrentUser } from "../../core/records";

/** Access tokens start with this, so a leaked one is recognisable, and the API can refuse it outside `/mcp`. */
export const MCP_ACCESS_PREFIX = "kiln_mcp_";
/** Refresh tokens start with this: recognisable too, and never mistaken for an access token. */
export const MCP_REFRESH_PREFIX = "kiln_mcpr_";

/** A code works once, for this long: the client exchanges it at once. */
export const OWNER_CODE_SECONDS = 5 * 60;
/** An access token lasts an hour: a leaked one is useful briefly; the client refreshes it unnoticed. */
export const OWNER_ACCESS_SECONDS = 60 * 60;
/** A refresh token lasts this long, and is replaced by a new one on each use. */
export const OWNER_REFRESH_SECONDS = 30 * 24 * 60 * 60;

/** A client as it registered (public: it proves itself with PKCE and its exact redirect URI). */
export interface OwnerClient {
  id: string;
  name: string;
  redirectUris: string[];
}

/** What a redeemed code or refresh token grants: this user's Kiln, through this client. */
export interface OwnerGrant {
  clientId: string;
  userId: string;
}

const hashOf = (kind: "code" | "access" | "refresh", secret: string) => sha256Hex(`owner-mcp-${kind}:${secret}`);

/** Registers a client; answers its id. */
export async function registerOwnerClient(db: D1Database, registration: ClientRegistration): Promise<string> {
  const id = `kmc_${newSecret(12)}`;
  await db
    .prepare("INSERT INTO owner_mcp_clients (id, name, redirect_uris_json, created_at) VALUES (?, ?, ?, ?)")
    .bind(id, registration.name, JSON.stringify(registration.redirectUris), new Date().toISOString())
    .run();
  return id;
}

/** A registered client, or null. */
export async function findOwnerClient(db: D1Database, id: string): Promise<OwnerClient | null> {
  const row = await db
    .prepare("SELECT id, name, redirect_uris_json FROM owner_mcp_clients WHERE id = ?")
    .bind(id)
    .first<{ id: string; name: string; redirect_uris_json: string }>();
  return row ? { id: row.id, name: row.name, redirectUris: JSON.parse(row.redirect_uris_json) as string[] } : null;
}

/** Issues a one-time code for the user's grant, bound to the redirect URI and PKCE challenge it was asked with. */
export async function issueOwnerCode(
  db: D1Database,
  grant: OwnerGrant & { redirectUri: string; codeChallenge: string },
): Promise<string> {
  const code = newSecret(32);
  await db
    .prepare(
      `INSERT INTO owner_mcp_codes (code_hash, client_id, user_id, redirect_uri, code_challenge, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      await hashOf("code", code),
      grant.clientId,
      grant.userId,
      grant.redirectUri,
      grant.codeChallenge,
      Date.now() + OWNER_CODE_SECONDS * 1000,
    )
    .run();
  return code;
}

/** What the client presents with a code: it must match what the code was issued for (S256 of its verifier). */
export interface OwnerCodeRedemption {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
}

/**
 * Marks a code used and answers the user it grants, or null: unknown, expired, used before, or presented by another
 * client, with another redirect URI or a wrong verifier. The one conditional UPDATE makes two redemptions race
 * safely, and leaves a code presented wrongly usable by its real client.
 */
export async function redeemOwnerCode(
  db: D1Database,
  code: string,
  presented: OwnerCodeRedemption,
): Promise<string | null> {
  const row = await db
    .prepare(
      `UPDATE owner_mcp_codes SET used_at = ?1 WHERE code_hash = ?2 AND used_at IS NULL AND expires_at > ?1
         AND client_id = ?3 AND redirect_uri = ?4 AND code_challenge = ?5
       RETURNING user_id`,
    )
    .bind(Date.now(), await hashOf("code", code), presented.clientId, presented.redirectUri, presented.codeChallenge)
    .first<{ user_id: string }>();
  return row?.user_id ?? null;
}

/** Issues an access token and a refresh token for a grant; drops the user's expired ones on the way. */
export async function issueOwnerTokens(
  db: D1Database,
  grant: OwnerGrant,
): Promise<{ access: string; refresh: string }> {
  const access = `${MCP_ACCESS_PREFIX}${newSecret(32)}`;
  const refresh = `${MCP_REFRESH_PREFIX}${newSecret(32)}`;
  const now = Date.now();
  const insert = db.prepare(
    "INSERT INTO owner_mcp_tokens (token_hash, kind, client_id, user_id, expires_at) VALUES (?, ?, ?, ?, ?)",
  );
  await db.batch([
    db.prepare("DELETE FROM owner_mcp_tokens WHERE user_id = ? AND expires_at <= ?").bind(grant.userId, now),
    db.prepare("DELETE FROM owner_mcp_codes WHERE user_id = ? AND expires_at <= ?").bind(grant.userId, now),
    insert.bind(
      await hashOf("access", access),
      "access",
      grant.clientId,
      grant.userId,
      now + OWNER_ACCESS_SECONDS * 1000,
    ),
    insert.bind(
      await hashOf("refresh", refresh),
      "refresh",
      grant.clientId,
      grant.userId,
      now + OWNER_REFRESH_SECONDS * 1000,
    ),
  ]);
  return { access, refresh };
}

/** Spends a refresh token of this client (each works once: rotation), answering its grant, or null. */
export async function spendOwnerRefreshToken(
  db: D1Database,
  clientId: string,
  token: string,
): Promise<OwnerGrant | null> {
  const row = await db
    .prepare(
      `DELETE FROM owner_mcp_tokens WHERE token_hash = ? AND kind = 'refresh' AND client_id = ? AND expires_at > ?
       RETURNING client_id, user_id`,
    )
    .bind(await hashOf("refresh", token), clientId, Date.now())
    .first<{ client_id: string; user_id: string }>();
  return row ? { clientId: row.client_id, userId: row.user_id } : null;
}

/** The user a live MCP access token was granted by, or null (unknown, expired, or not an access token). */
export async function userForMcpAccessToken(db: D1Database, token: string): Promise<CurrentUser | null> {
  return db
    .prepare(
      `SELECT u.id, u.email FROM owner_mcp_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = ? AND t.kind = 'access' AND t.expires_at > ?`,
    )
    .bind(await hashOf("access", token), Date.now())
    .first<CurrentUser>();
}

/**
 * Deletes codes that were used or expired and access and refresh tokens that expired, of every user: nothing reads
 * them again, and the platform's minute cron keeps the tables to what is live. Answers how many rows went.
 */
export async function purgeSpentOwnerOAuthRows(db: D1Database, now = Date.now()): Promise<number> {
  const [codes, tokens] = await db.batch([
    db.prepare("DELETE FROM owner_mcp_codes WHERE used_at IS NOT NULL OR expires_at <= ?").bind(now),
    db.prepare("DELETE FROM owner_mcp_tokens WHERE expires_at <= ?").bind(now),
  ]);
  return (codes?.meta.changes ?? 0) + (tokens?.meta.changes ?? 0);
}
