// D1 rows of OAuth for MCP clients of Kiln's own `/mcp`: registered clients, one-time codes, and access and refresh
// tokens, each code and token of one grant (owner-grants.ts). Every secret is stored as a hash, in a domain of its
// kind.
import type { ClientRegistration } from "../../oauth/client-registration";
import { newSecret, sha256Hex } from "../../core/ids";
import type { CurrentUser } from "../../core/records";
import { type OwnerGrant, deleteOwnerGrant, liveOwnerGrant, newOwnerGrant, touchOwnerGrant } from "./owner-grants";

/** Access tokens start with this, so a leaked one is recognisable, and the API can refuse it outside `/mcp`. */
export const MCP_ACCESS_PREFIX = "kiln_mcp_";
/** Refresh tokens start with this: recognisable too, and never mistaken for an access token. */
export const MCP_REFRESH_PREFIX = "kiln_mcpr_";

/** A code works once, for this long: the client exchanges it at once. */
export const OWNER_CODE_SECONDS = 5 * 60;
/** An access token lasts an hour: a leaked one is useful briefly; the client refreshes it unnoticed. */
export const OWNER_ACCESS_SECONDS = 60 * 60;
/** A refresh token lasts this long (never past its grant's end), and is replaced by a new one on each use. */
export const OWNER_REFRESH_SECONDS = 30 * 24 * 60 * 60;
/** A client that has held no grant for this long after registering is purged: it registers again if it returns. */
export const OWNER_CLIENT_IDLE_SECONDS = 30 * 24 * 60 * 60;
/** A grant with nothing live left is purged only this long after its last use: a rotation in flight keeps it. */
const GRANT_SETTLE_MS = 10 * 60 * 1000;

/** A client as it registered (public: it proves itself with PKCE and its exact redirect URI). */
export interface OwnerClient {
  id: string;
  name: string;
  redirectUris: string[];
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

/** The owner's consent: a new grant, and its one-time code bound to the redirect URI and PKCE challenge asked with. */
export async function issueOwnerCode(
  db: D1Database,
  consent: { clientId: string; userId: string; redirectUri: string; codeChallenge: string },
): Promise<string> {
  const code = newSecret(32);
  const now = Date.now();
  const { grant, insert } = newOwnerGrant(db, consent.clientId, consent.userId, now);
  await db.batch([
    insert,
    db
      .prepare(
        `INSERT INTO owner_mcp_codes (code_hash, grant_id, client_id, user_id, redirect_uri, code_challenge, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        await hashOf("code", code),
        grant.id,
        consent.clientId,
        consent.userId,
        consent.redirectUri,
        consent.codeChallenge,
        now + OWNER_CODE_SECONDS * 1000,
      ),
  ]);
  return code;
}

/** What the client presents with a code: it must match what the code was issued for (S256 of its verifier). */
export interface OwnerCodeRedemption {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
}

/**
 * Marks a code used and answers its grant, or null: unknown, expired, used before, or presented by another client,
 * with another redirect URI or a wrong verifier. The one conditional UPDATE makes two redemptions race safely, and
 * leaves a code presented wrongly usable by its real client; a used code presented again revokes its grant.
 */
export async function redeemOwnerCode(
  db: D1Database,
  code: string,
  presented: OwnerCodeRedemption,
): Promise<OwnerGrant | null> {
  const codeHash = await hashOf("code", code);
  const now = Date.now();
  const row = await db
    .prepare(
      `UPDATE owner_mcp_codes SET used_at = ?1 WHERE code_hash = ?2 AND used_at IS NULL AND expires_at > ?1
         AND client_id = ?3 AND redirect_uri = ?4 AND code_challenge = ?5
       RETURNING grant_id`,
    )
    .bind(now, codeHash, presented.clientId, presented.redirectUri, presented.codeChallenge)
    .first<{ grant_id: string }>();
  if (row) return liveOwnerGrant(db, row.grant_id, now);
  await revokeOnReplay(
    db,
    "SELECT grant_id FROM owner_mcp_codes WHERE code_hash = ? AND used_at IS NOT NULL",
    codeHash,
  );
  return null;
}

/** Issues an access token and a refresh token of a grant, neither outliving it; drops the user's expired ones. */
export async function issueOwnerTokens(
  db: D1Database,
  grant: OwnerGrant,
): Promise<{ access: string; accessSeconds: number; refresh: string; refreshSeconds: number }> {
  const access = `${MCP_ACCESS_PREFIX}${newSecret(32)}`;
  const refresh = `${MCP_REFRESH_PREFIX}${newSecret(32)}`;
  const now = Date.now();
  const accessEnds = Math.min(now + OWNER_ACCESS_SECONDS * 1000, grant.expiresAt);
  const refreshEnds = Math.min(now + OWNER_REFRESH_SECONDS * 1000, grant.expiresAt);
  const insert = db.prepare(
    "INSERT INTO owner_mcp_tokens (token_hash, grant_id, kind, client_id, user_id, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  await db.batch([
    db.prepare("DELETE FROM owner_mcp_tokens WHERE user_id = ? AND expires_at <= ?").bind(grant.userId, now),
    db
      .prepare("DELETE FROM owner_mcp_codes WHERE user_id = ? AND used_at IS NULL AND expires_at <= ?")
      .bind(grant.userId, now),
    db.prepare("UPDATE owner_mcp_grants SET last_used_at = ? WHERE id = ?").bind(now, grant.id),
    insert.bind(await hashOf("access", access), grant.id, "access", grant.clientId, grant.userId, accessEnds),
    insert.bind(await hashOf("refresh", refresh), grant.id, "refresh", grant.clientId, grant.userId, refreshEnds),
  ]);
  const seconds = (ends: number) => Math.max(0, Math.floor((ends - now) / 1000));
  return { access, accessSeconds: seconds(accessEnds), refresh, refreshSeconds: seconds(refreshEnds) };
}

/**
 * Spends a refresh token of this client (each works once: rotation), answering its live grant, or null. A refresh
 * token spent before and presented again was stolen, or its client was: the whole grant is revoked.
 */
export async function spendOwnerRefreshToken(
  db: D1Database,
  clientId: string,
  token: string,
): Promise<OwnerGrant | null> {
  const tokenHash = await hashOf("refresh", token);
  const now = Date.now();
  const row = await db
    .prepare(
      `UPDATE owner_mcp_tokens SET used_at = ?1
       WHERE token_hash = ?2 AND kind = 'refresh' AND client_id = ?3 AND used_at IS NULL AND expires_at > ?1
       RETURNING grant_id`,
    )
    .bind(now, tokenHash, clientId)
    .first<{ grant_id: string }>();
  if (row) return liveOwnerGrant(db, row.grant_id, now);
  await revokeOnReplay(
    db,
    "SELECT grant_id FROM owner_mcp_tokens WHERE token_hash = ? AND kind = 'refresh' AND used_at IS NOT NULL",
    tokenHash,
  );
  return null;
}

// A spent code or refresh token presented again: its whole grant goes (OAuth 2.1 sections 4.1.3 and 4.3.1).
async function revokeOnReplay(db: D1Database, spentQuery: string, hash: string): Promise<void> {
  const spent = await db.prepare(spentQuery).bind(hash).first<{ grant_id: string }>();
  if (spent) await deleteOwnerGrant(db, spent.grant_id);
}

/** The user a live MCP access token of a live grant was granted by, or null (unknown, expired, revoked). */
export async function userForMcpAccessToken(db: D1Database, token: string): Promise<CurrentUser | null> {
  const now = Date.now();
  const row = await db
    .prepare(
      `SELECT u.id, u.email, g.id AS grant_id, g.last_used_at FROM owner_mcp_tokens t
       JOIN owner_mcp_grants g ON g.id = t.grant_id JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = ?1 AND t.kind = 'access' AND t.expires_at > ?2 AND g.expires_at > ?2`,
    )
    .bind(await hashOf("access", token), now)
    .first<{ id: string; email: string; grant_id: string; last_used_at: number | null }>();
  if (!row) return null;
  await touchOwnerGrant(db, row.grant_id, row.last_used_at, now);
  return { id: row.id, email: row.email };
}

/**
 * What the platform's minute cron keeps out of the tables, of every user: grants past their end or with nothing live
 * left (their codes and tokens go with them), codes never redeemed in time, expired tokens, and clients registered
 * over OWNER_CLIENT_IDLE_SECONDS ago that hold no grant. A used code or spent refresh token stays while it could be
 * replayed. Answers how many rows went.
 */
export async function purgeSpentOwnerOAuthRows(db: D1Database, now = Date.now()): Promise<number> {
  const idleSince = new Date(now - OWNER_CLIENT_IDLE_SECONDS * 1000).toISOString();
  const results = await db.batch([
    db
      .prepare(
        `DELETE FROM owner_mcp_grants WHERE expires_at <= ?1 OR (COALESCE(last_used_at, created_at) <= ?2
           AND NOT EXISTS (SELECT 1 FROM owner_mcp_tokens t
             WHERE t.grant_id = owner_mcp_grants.id AND t.used_at IS NULL AND t.expires_at > ?1)
           AND NOT EXISTS (SELECT 1 FROM owner_mcp_codes c
             WHERE c.grant_id = owner_mcp_grants.id AND c.used_at IS NULL AND c.expires_at > ?1))`,
      )
      .bind(now, now - GRANT_SETTLE_MS),
    db.prepare("DELETE FROM owner_mcp_codes WHERE used_at IS NULL AND expires_at <= ?").bind(now),
    db.prepare("DELETE FROM owner_mcp_tokens WHERE expires_at <= ?").bind(now),
    db
      .prepare(
        `DELETE FROM owner_mcp_clients WHERE created_at <= ?
           AND NOT EXISTS (SELECT 1 FROM owner_mcp_grants g WHERE g.client_id = owner_mcp_clients.id)`,
      )
      .bind(idleSince),
  ]);
  return results.reduce((sum, result) => sum + (result.meta.changes ?? 0), 0);
}
