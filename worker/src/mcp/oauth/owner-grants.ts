// Grants of Kiln's own OAuth for MCP clients: one owner's consent to one client. Every code and token carries its
// grant, so the grant is what the owner sees and revokes, what a replayed code or refresh token revokes as a whole
// (OAuth 2.1 sections 4.1.3 and 4.3.1), and what bounds the tokens' life however often they rotate.
import { newSecret } from "../../core/ids";
import type { McpGrant } from "../../core/api-shapes";

/** A grant ends this long after consent, whatever the refreshes: then the owner is asked again. */
export const OWNER_GRANT_SECONDS = 90 * 24 * 60 * 60;

/** `last_used_at` is written at most this often per grant, so `/mcp` requests do not each cost a write. */
const TOUCH_EVERY_MS = 60 * 1000;

/** What a redeemed code or refresh token grants: this user's Kiln, through this client, until `expiresAt` (ms). */
export interface OwnerGrant {
  id: string;
  clientId: string;
  userId: string;
  expiresAt: number;
}

/** A new grant's row (its first code goes in the same batch), ending OWNER_GRANT_SECONDS from `now`. */
export function newOwnerGrant(
  db: D1Database,
  clientId: string,
  userId: string,
  now: number,
): { grant: OwnerGrant; insert: D1PreparedStatement } {
  const grant = { id: `kmg_${newSecret(12)}`, clientId, userId, expiresAt: now + OWNER_GRANT_SECONDS * 1000 };
  const insert = db
    .prepare("INSERT INTO owner_mcp_grants (id, client_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
    .bind(grant.id, clientId, userId, now, grant.expiresAt);
  return { grant, insert };
}

/** The grant with this id while it lasts, or null (revoked, replaced by a replay's revocation, or past its end). */
export async function liveOwnerGrant(db: D1Database, id: string, now = Date.now()): Promise<OwnerGrant | null> {
  const row = await db
    .prepare("SELECT id, client_id, user_id, expires_at FROM owner_mcp_grants WHERE id = ? AND expires_at > ?")
    .bind(id, now)
    .first<{ id: string; client_id: string; user_id: string; expires_at: number }>();
  return row ? { id: row.id, clientId: row.client_id, userId: row.user_id, expiresAt: row.expires_at } : null;
}

/** Records that the grant was used now, unless it was within the last minute. */
export async function touchOwnerGrant(
  db: D1Database,
  id: string,
  lastUsedAt: number | null,
  now = Date.now(),
): Promise<void> {
  if (lastUsedAt !== null && now - lastUsedAt < TOUCH_EVERY_MS) return;
  await db.prepare("UPDATE owner_mcp_grants SET last_used_at = ? WHERE id = ?").bind(now, id).run();
}

/** Deletes a grant with every code and token of it (the foreign keys cascade): they stop working at once. */
export async function deleteOwnerGrant(db: D1Database, id: string): Promise<void> {
  await db.prepare("DELETE FROM owner_mcp_grants WHERE id = ?").bind(id).run();
}

/** The owner's revocation: their grant `id` and all its tokens go; false when they have no such grant. */
export async function revokeOwnerGrant(db: D1Database, userId: string, id: string): Promise<boolean> {
  const result = await db.prepare("DELETE FROM owner_mcp_grants WHERE id = ? AND user_id = ?").bind(id, userId).run();
  return result.meta.changes > 0;
}

/** The owner's connected assistants: live grants that a client holds a live token of, newest first. */
export async function listOwnerGrants(db: D1Database, userId: string, now = Date.now()): Promise<McpGrant[]> {
  const rows = await db
    .prepare(
      `SELECT g.id, c.name, g.created_at, g.last_used_at, g.expires_at
       FROM owner_mcp_grants g JOIN owner_mcp_clients c ON c.id = g.client_id
       WHERE g.user_id = ?1 AND g.expires_at > ?2 AND EXISTS (
         SELECT 1 FROM owner_mcp_tokens t WHERE t.grant_id = g.id AND t.used_at IS NULL AND t.expires_at > ?2)
       ORDER BY g.created_at DESC`,
    )
    .bind(userId, now)
    .all<{ id: string; name: string; created_at: number; last_used_at: number | null; expires_at: number }>();
  return rows.results.map((row) => ({
    id: row.id,
    clientName: row.name,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
  }));
}
