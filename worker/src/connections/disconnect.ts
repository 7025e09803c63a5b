// `DELETE /api/connections/:id`: forgets the credential. Google is also asked
// to revoke the grant, so Kiln's access ends at Google too.
import { recordAudit } from "../audit/audit-log";
import type { Env } from "../core/env";
import { type ConnectionRecord, deleteConnectionStatement } from "./connection-repository";
import { deleteCredentialStatement, readCredential } from "./connection-secrets";
import { googleEndpoints } from "./google-client";
import { revokeToken } from "./google-oauth";

/** Deletes the connection and its vault entry; works even when the vault cannot be opened. */
export async function disconnect(env: Env, connection: ConnectionRecord): Promise<{ revoked: boolean }> {
  let revoked = false;
  if (connection.connector === "google") {
    try {
      const credential = await readCredential(env, connection);
      if (credential.kind === "oauth2") revoked = await revokeToken(googleEndpoints(env), credential.refreshToken);
    } catch {
      // Revocation is a courtesy: a credential Kiln cannot read is deleted all the same.
    }
  }
  await env.DB.batch([
    deleteCredentialStatement(env, connection.id),
    deleteConnectionStatement(env.DB, connection.ownerId, connection.id),
  ]);
  await recordAudit(env.DB, {
    userId: connection.ownerId,
    action: "connection.disconnect",
    detail: {
      connectionId: connection.id,
      connector: connection.connector,
      demo: connection.demo,
      ...(connection.connector === "google" ? { revoked } : {}),
    },
  });
  return { revoked };
}
