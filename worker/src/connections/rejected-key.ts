// An API key the service rejected (401) while an app used it: revoked or deleted at the provider. Like a Google
// grant that stopped working (access-tokens.ts), the connection is marked needs_reconnect with what the owner must
// do, audited, and the owner is alerted once; until they reconnect, apps are told the same instead of failing anew.
import { raiseAlert } from "../alerts/alert-digest";
import { recordAudit } from "../audit/audit-log";
import type { Env } from "../core/env";
import { findConnectionById, markNeedsReconnect } from "./connection-repository";
import { readCredential } from "./connection-secrets";

/**
 * Marks connection `connectionId` needs_reconnect with `message` if it still holds `rejectedKey` (a key the owner
 * replaced meanwhile is left alone). Returns whether it marked it; never throws (the app's call already failed).
 */
export async function markKeyRejected(
  env: Env,
  connectionId: string,
  rejectedKey: string,
  message: string,
): Promise<boolean> {
  try {
    const connection = await findConnectionById(env.DB, connectionId);
    if (!connection || connection.status === "needs_reconnect") return false;
    const credential = await readCredential(env, connection);
    if (credential.kind !== "api_key" || credential.key !== rejectedKey) return false;
    if (!(await markNeedsReconnect(env.DB, connection, message))) return false;
    await recordAudit(env.DB, {
      userId: connection.ownerId,
      action: "connection.key_rejected",
      detail: { connectionId, connector: connection.connector, status: "needs_reconnect" },
    });
    await raiseAlert(env, {
      kind: "connection_needs_reconnect",
      appId: null,
      ownerId: connection.ownerId,
      subject: connection.connector,
      detail: message,
    });
    return true;
  } catch (error) {
    console.error(
      `[connections] could not mark ${connectionId} needs_reconnect: ${error instanceof Error ? error.name : "error"}`,
    );
    return false;
  }
}
