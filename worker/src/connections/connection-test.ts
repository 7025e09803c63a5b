// `POST /api/connections/:id/test`: sends the rule's check with the stored
// credential and records what it showed.
import { recordAudit } from "../audit/audit-log";
import type { Env } from "../core/env";
import { ConnectionUnavailableError, accessTokenAfterUnauthorized, freshAccessToken } from "./access-tokens";
import { CONNECTOR_RULES } from "./connector-catalog";
import { type ConnectionRecord, findOwnedConnection, markChecked, markNeedsReconnect } from "./connection-repository";
import { type CheckResult, checkCredential } from "./credential-check";
import type { ConnectionTestResult } from "../core/api-shapes/connections";

/** Tests the owner's connection; a rejected key marks it needs_reconnect, a working one clears that. */
export async function testConnection(
  env: Env,
  connection: ConnectionRecord,
): Promise<{ connection: ConnectionRecord; result: ConnectionTestResult }> {
  const rule = CONNECTOR_RULES[connection.connector];
  let check: CheckResult;
  try {
    const token = await freshAccessToken(env, connection.id);
    check = await checkCredential(env, rule, token);
    if (check.outcome === "rejected" && rule.kind === "oauth2") {
      check = await checkCredential(env, rule, await accessTokenAfterUnauthorized(env, connection.id, token));
    }
  } catch (error) {
    if (!(error instanceof ConnectionUnavailableError)) throw error;
    return finish(env, connection, { ok: false, message: error.message }, error.reason);
  }

  if (check.outcome === "valid") {
    await markChecked(env.DB, connection);
    return finish(
      env,
      connection,
      { ok: true, message: `${rule.label} accepted the stored credential.` },
      check.outcome,
    );
  }
  if (check.outcome === "limited") {
    await markChecked(env.DB, connection);
    return finish(
      env,
      connection,
      {
        ok: true,
        message: `${rule.label} accepted the stored credential, with limited permissions (${rule.label} said: ${check.message}).`,
      },
      check.outcome,
    );
  }
  if (check.outcome === "rejected" && rule.kind === "api_key") {
    const message = `${rule.label} no longer accepts the stored key — connect ${rule.label} again with a new key.`;
    await markNeedsReconnect(env.DB, connection, message);
    return finish(
      env,
      connection,
      { ok: false, message: check.message ? `${message} (${rule.label} said: ${check.message})` : message },
      check.outcome,
    );
  }
  return finish(env, connection, { ok: false, message: check.message }, check.outcome);
}

async function finish(env: Env, connection: ConnectionRecord, result: ConnectionTestResult, outcome: string) {
  await recordAudit(env.DB, {
    userId: connection.ownerId,
    action: "connection.test",
    detail: { connectionId: connection.id, connector: connection.connector, ok: result.ok, outcome },
  });
  return { connection: (await findOwnedConnection(env.DB, connection.ownerId, connection.id)) ?? connection, result };
}
