// Connection rows in D1 (`connections`). The credential itself is in the
// vault under the connection's id; these rows hold only what may be shown.
import type { ConnectorId } from "../../../connectors/types";
import { nowIso, toHex } from "../core/ids";
import type { ConnectionStatus } from "../core/api-shapes/connections";

/** A connection as the platform keeps it. */
export interface ConnectionRecord {
  id: string;
  ownerId: string;
  connector: ConnectorId;
  status: ConnectionStatus;
  /** What the owner should do, when status is needs_reconnect. */
  statusMessage: string | null;
  demo: boolean;
  secretLast4: string;
  /** The account at the service, when known (the Google email). */
  account: string | null;
  /** Google: granted scopes, space-separated. */
  scopes: string | null;
  /** Google: when the stored access token expires. */
  accessExpiresAt: string | null;
  /** Bumped on every credential change (compare-and-set for refreshes). */
  secretVersion: number;
  lastCheckedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The non-secret facts stored with a new or replaced credential. */
export interface ConnectionFacts {
  demo: boolean;
  secretLast4: string;
  account: string | null;
  scopes: string | null;
  accessExpiresAt: string | null;
}

const COLUMNS = `id, owner_id AS ownerId, connector, status, status_message AS statusMessage, demo, secret_last4 AS secretLast4,
  account, scopes, access_expires_at AS accessExpiresAt, secret_version AS secretVersion, last_checked_at AS lastCheckedAt,
  created_at AS createdAt, updated_at AS updatedAt`;

type ConnectionRow = Omit<ConnectionRecord, "demo"> & { demo: number };

function fromRow(row: ConnectionRow | null): ConnectionRecord | null {
  return row ? { ...row, demo: row.demo === 1 } : null;
}

/** A new connection id, e.g. `con_4f9c2a7e1b3d5c60a1b2`. */
export function newConnectionId(): string {
  return `con_${toHex(crypto.getRandomValues(new Uint8Array(10)))}`;
}

/** The owner's connection with this id; null for anyone else's, so ids cannot be probed. */
export async function findOwnedConnection(
  db: D1Database,
  ownerId: string,
  id: string,
): Promise<ConnectionRecord | null> {
  return fromRow(
    await db
      .prepare(`SELECT ${COLUMNS} FROM connections WHERE id = ? AND owner_id = ?`)
      .bind(id, ownerId)
      .first<ConnectionRow>(),
  );
}

/** The owner's connection to a connector, if any (there is at most one). */
export async function findConnectionFor(
  db: D1Database,
  ownerId: string,
  connector: ConnectorId,
): Promise<ConnectionRecord | null> {
  return fromRow(
    await db
      .prepare(`SELECT ${COLUMNS} FROM connections WHERE owner_id = ? AND connector = ?`)
      .bind(ownerId, connector)
      .first<ConnectionRow>(),
  );
}

/** A connection by id alone: for Kiln's own callers (the egress proxy), never for a request's input. */
export async function findConnectionById(db: D1Database, id: string): Promise<ConnectionRecord | null> {
  return fromRow(await db.prepare(`SELECT ${COLUMNS} FROM connections WHERE id = ?`).bind(id).first<ConnectionRow>());
}

/** The owner's connections, in connector order. */
export async function listConnections(db: D1Database, ownerId: string): Promise<ConnectionRecord[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM connections WHERE owner_id = ? ORDER BY connector`)
    .bind(ownerId)
    .all<ConnectionRow>();
  return results.map((row) => fromRow(row)!);
}

/**
 * Creates the connection, or gives an existing one its new credential and a
 * clean status (same id, so the vault row under that id is replaced).
 */
export function upsertConnectionStatement(
  db: D1Database,
  id: string,
  ownerId: string,
  connector: ConnectorId,
  facts: ConnectionFacts,
): D1PreparedStatement {
  const now = nowIso();
  return db
    .prepare(
      `INSERT INTO connections (id, owner_id, connector, status, status_message, demo, secret_last4, account, scopes, access_expires_at,
         secret_version, last_checked_at, created_at, updated_at)
       VALUES (?, ?, ?, 'connected', NULL, ?, ?, ?, ?, ?, 1, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET status = 'connected', status_message = NULL, demo = excluded.demo, secret_last4 = excluded.secret_last4,
         account = excluded.account, scopes = excluded.scopes, access_expires_at = excluded.access_expires_at, secret_version = connections.secret_version + 1,
         last_checked_at = excluded.last_checked_at, updated_at = excluded.updated_at
       WHERE connections.owner_id = excluded.owner_id`,
    )
    .bind(
      id,
      ownerId,
      connector,
      facts.demo ? 1 : 0,
      facts.secretLast4,
      facts.account,
      facts.scopes,
      facts.accessExpiresAt,
      now,
      now,
      now,
    );
}

/**
 * Records refreshed tokens if nobody changed the credential since version
 * `expectedVersion` was read; `meta.changes` is 0 when someone had.
 */
export function refreshedConnectionStatement(
  db: D1Database,
  connection: ConnectionRecord,
  facts: Pick<ConnectionFacts, "scopes" | "accessExpiresAt">,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE connections SET scopes = ?, access_expires_at = ?, secret_version = secret_version + 1, updated_at = ?
       WHERE id = ? AND secret_version = ?`,
    )
    .bind(facts.scopes, facts.accessExpiresAt, nowIso(), connection.id, connection.secretVersion);
}

/** Marks a connection unusable until the owner reconnects, unless its credential changed meanwhile. Returns whether it did. */
export async function markNeedsReconnect(
  db: D1Database,
  connection: ConnectionRecord,
  message: string,
): Promise<boolean> {
  const result = await db
    .prepare(
      "UPDATE connections SET status = 'needs_reconnect', status_message = ?, updated_at = ? WHERE id = ? AND secret_version = ?",
    )
    .bind(message, nowIso(), connection.id, connection.secretVersion)
    .run();
  return result.meta.changes > 0;
}

/** Records a successful check (the credential works): clears a stale problem. */
export async function markChecked(db: D1Database, connection: ConnectionRecord): Promise<void> {
  const now = nowIso();
  await db
    .prepare(
      "UPDATE connections SET status = 'connected', status_message = NULL, last_checked_at = ?, updated_at = ? WHERE id = ? AND secret_version = ?",
    )
    .bind(now, now, connection.id, connection.secretVersion)
    .run();
}

/** The statement that deletes a connection row (batched with its vault row). */
export function deleteConnectionStatement(db: D1Database, ownerId: string, id: string): D1PreparedStatement {
  return db.prepare("DELETE FROM connections WHERE id = ? AND owner_id = ?").bind(id, ownerId);
}
