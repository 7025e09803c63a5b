// What the egress proxy asks for: the credential to inject for an owner's
// connection, with Google access tokens refreshed before they expire and
// again after an upstream 401. Refresh failures are recorded; a revoked grant
// marks the connection needs_reconnect with what the owner must do.
import type { ConnectorId } from "../../../connectors/types";
import { raiseAlert } from "../alerts/alert-digest";
import { recordAudit } from "../audit/audit-log";
import type { Env } from "../core/env";
import { CONNECTOR_RULES } from "./connector-catalog";
import {
  type ConnectionRecord,
  findConnectionById,
  findConnectionFor,
  markNeedsReconnect,
  refreshedConnectionStatement,
} from "./connection-repository";
import { connectionKeyring, readCredential, storeCredentialStatement } from "./connection-secrets";
import { googleClientFor, googleEndpoints } from "./google-client";
import { refreshTokens } from "./google-oauth";
import type { OAuthCredential } from "./stored-credential";

/** Refresh when less than this is left, so a token never expires mid-request. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** Why an app cannot use a connection right now. */
export type UnavailableReason = "not_connected" | "needs_reconnect" | "refresh_failed";

/** The app's call cannot carry a credential; the message is for the app's logs and its owner, and holds no secret. */
export class ConnectionUnavailableError extends Error {
  override readonly name = "ConnectionUnavailableError";
  readonly reason: UnavailableReason;
  /** Null when the connection no longer exists, so its connector is unknown. */
  readonly connector: ConnectorId | null;
  constructor(reason: UnavailableReason, connector: ConnectorId | null, message: string) {
    super(message);
    this.reason = reason;
    this.connector = connector;
  }
}

/** The owner-facing message for a Google grant that no longer works. */
export const GOOGLE_RECONNECT_MESSAGE = "Google access was revoked or expired — reconnect Google";

/** A credential ready to inject as `Authorization: Bearer <token>`. */
export interface EgressCredential {
  connectionId: string;
  connector: ConnectorId;
  token: string;
  demo: boolean;
}

/**
 * The credential to inject for an app of `ownerId` calling `connector`:
 * the key, or a Google access token valid for at least REFRESH_MARGIN_MS.
 * Throws ConnectionUnavailableError (not connected, needs reconnect, refresh
 * failed) or VaultUnavailableError (operator problem).
 */
export async function credentialForOwner(env: Env, ownerId: string, connector: ConnectorId): Promise<EgressCredential> {
  const connection = await findConnectionFor(env.DB, ownerId, connector);
  if (!connection) {
    const label = CONNECTOR_RULES[connector].label;
    throw new ConnectionUnavailableError(
      "not_connected",
      connector,
      `${label} is not connected: the app's owner must connect ${label} in Kiln first.`,
    );
  }
  return { connectionId: connection.id, connector, token: await tokenOf(env, connection, null), demo: connection.demo };
}

/** A Google access token for connection `connectionId` with at least REFRESH_MARGIN_MS left (refreshed if needed); the key for API-key connections. */
export async function freshAccessToken(env: Env, connectionId: string): Promise<string> {
  return tokenOf(env, await connectionById(env, connectionId), null);
}

/**
 * After the upstream answered 401 to `rejectedToken`: a new access token
 * (refreshed now, unless another request already replaced that token).
 * API keys cannot be refreshed, so for them this returns the same key.
 */
export async function accessTokenAfterUnauthorized(
  env: Env,
  connectionId: string,
  rejectedToken: string,
): Promise<string> {
  return tokenOf(env, await connectionById(env, connectionId), rejectedToken);
}

async function connectionById(env: Env, connectionId: string): Promise<ConnectionRecord> {
  const connection = await findConnectionById(env.DB, connectionId);
  if (!connection)
    throw new ConnectionUnavailableError(
      "not_connected",
      null,
      "This connection was disconnected: the app's owner must connect it again.",
    );
  return connection;
}

async function tokenOf(env: Env, connection: ConnectionRecord, rejectedToken: string | null): Promise<string> {
  if (connection.status === "needs_reconnect") {
    throw new ConnectionUnavailableError(
      "needs_reconnect",
      connection.connector,
      connection.statusMessage ?? `Reconnect ${CONNECTOR_RULES[connection.connector].label}.`,
    );
  }
  const credential = await readCredential(env, connection);
  if (credential.kind === "api_key") return credential.key;
  const stale =
    rejectedToken === null
      ? Date.parse(credential.expiresAt) - Date.now() < REFRESH_MARGIN_MS
      : credential.accessToken === rejectedToken;
  if (!stale) return credential.accessToken;
  return refreshOnce(env, connection, credential);
}

// One refresh per connection at a time in this isolate; other isolates are kept honest by secret_version.
const refreshing = new Map<string, Promise<string>>();

function refreshOnce(env: Env, connection: ConnectionRecord, credential: OAuthCredential): Promise<string> {
  const running = refreshing.get(connection.id);
  if (running) return running;
  const refresh = refreshGoogle(env, connection, credential).finally(() => refreshing.delete(connection.id));
  refreshing.set(connection.id, refresh);
  return refresh;
}

async function refreshGoogle(env: Env, connection: ConnectionRecord, credential: OAuthCredential): Promise<string> {
  const result = await refreshTokens(
    googleEndpoints(env),
    googleClientFor(env, connection.demo),
    credential.refreshToken,
  );
  if (result.ok) {
    const { tokens } = result;
    const expiresAt = new Date(Date.now() + tokens.expiresInSeconds * 1000).toISOString();
    const next: OAuthCredential = {
      kind: "oauth2",
      accessToken: tokens.accessToken,
      // Google may rotate the refresh token; the new one replaces the old.
      refreshToken: tokens.refreshToken ?? credential.refreshToken,
      expiresAt,
      scope: tokens.scope ?? credential.scope,
    };
    const keyring = await connectionKeyring(env);
    // Both statements apply only if nobody changed the credential since we read it (one transaction).
    const [, updated] = await env.DB.batch([
      await storeCredentialStatement(env, keyring, connection.ownerId, connection.id, next, {
        sql: "(SELECT secret_version FROM connections WHERE id = ?) = ?",
        bindings: [connection.id, connection.secretVersion],
      }),
      refreshedConnectionStatement(env.DB, connection, { scopes: next.scope || null, accessExpiresAt: expiresAt }),
    ]);
    if (updated && updated.meta.changes > 0) return next.accessToken;
    return currentToken(env, connection.id);
  }

  if (result.kind === "invalid_grant") {
    if (!(await markNeedsReconnect(env.DB, connection, GOOGLE_RECONNECT_MESSAGE)))
      return currentToken(env, connection.id);
    await recordAudit(env.DB, {
      userId: connection.ownerId,
      action: "connection.refresh_failed",
      detail: {
        connectionId: connection.id,
        connector: connection.connector,
        reason: "invalid_grant",
        status: "needs_reconnect",
      },
    });
    // The owner hears it now, not when an app next fails on it (once: the connection is marked only once).
    await raiseAlert(env, {
      kind: "connection_needs_reconnect",
      appId: null,
      ownerId: connection.ownerId,
      subject: connection.connector,
      detail: GOOGLE_RECONNECT_MESSAGE,
    });
    throw new ConnectionUnavailableError("needs_reconnect", connection.connector, GOOGLE_RECONNECT_MESSAGE);
  }
  await recordAudit(env.DB, {
    userId: connection.ownerId,
    action: "connection.refresh_failed",
    detail: {
      connectionId: connection.id,
      connector: connection.connector,
      reason: result.kind,
      message: result.message,
    },
  });
  throw new ConnectionUnavailableError(
    "refresh_failed",
    connection.connector,
    `Kiln could not refresh Google access: ${result.message}`,
  );
}

// Someone else refreshed (or reconnected) meanwhile: use what they stored.
async function currentToken(env: Env, connectionId: string): Promise<string> {
  const connection = await connectionById(env, connectionId);
  if (connection.status === "needs_reconnect") {
    throw new ConnectionUnavailableError(
      "needs_reconnect",
      connection.connector,
      connection.statusMessage ?? GOOGLE_RECONNECT_MESSAGE,
    );
  }
  const credential = await readCredential(env, connection);
  return credential.kind === "api_key" ? credential.key : credential.accessToken;
}
