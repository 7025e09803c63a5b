// OAuth authorizations started but not yet finished (`oauth_flows`). The
// state travels in the URL and is stored only as a hash; the PKCE verifier is
// sealed in the vault under the flow's id. A flow is used at most once.
import type { ConnectorId } from "../../../connectors/types";
import type { Env } from "../core/env";
import { newSecret, nowIso, sha256Hex, toHex } from "../core/ids";
import type { Keyring } from "../vault/master-key";
import { deleteSecretStatement, readSecret, storeSecretStatement } from "../vault/vault-store";

/** How long an owner has to finish signing in at the service. */
export const FLOW_TTL_MS = 10 * 60_000;

/** A pending authorization, as the callback finds it. */
export interface OAuthFlow {
  id: string;
  ownerId: string;
  connector: ConnectorId;
  redirectUri: string;
  returnTo: string | null;
  demo: boolean;
  expiresAt: string;
}

/** What starting a flow hands back: the state for the URL, and when it lapses. */
export interface StartedFlow {
  state: string;
  expiresAt: string;
}

/** Records a new flow for the owner (dropping their lapsed ones) and seals its verifier. */
export async function startFlow(
  env: Env,
  keyring: Keyring,
  flow: Omit<OAuthFlow, "id" | "expiresAt">,
  verifier: string,
): Promise<StartedFlow> {
  const id = `oaf_${toHex(crypto.getRandomValues(new Uint8Array(10)))}`;
  const state = newSecret(32);
  const now = nowIso();
  const expiresAt = new Date(Date.now() + FLOW_TTL_MS).toISOString();
  await env.DB.batch([
    env.DB.prepare(
      "DELETE FROM vault_secrets WHERE record_id IN (SELECT id FROM oauth_flows WHERE owner_id = ? AND expires_at < ?)",
    ).bind(flow.ownerId, now),
    env.DB.prepare("DELETE FROM oauth_flows WHERE owner_id = ? AND expires_at < ?").bind(flow.ownerId, now),
    await storeSecretStatement(env.DB, keyring, { ownerId: flow.ownerId, recordId: id }, verifier),
    env.DB.prepare(
      "INSERT INTO oauth_flows (id, owner_id, connector, state_hash, redirect_uri, return_to, demo, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).bind(
      id,
      flow.ownerId,
      flow.connector,
      await sha256Hex(state),
      flow.redirectUri,
      flow.returnTo,
      flow.demo ? 1 : 0,
      now,
      expiresAt,
    ),
  ]);
  return { state, expiresAt };
}

/**
 * Takes the flow `state` names if it belongs to `ownerId` and has not lapsed,
 * with its verifier, and deletes it so the same state never works twice.
 * Null for an unknown, foreign, used or lapsed state.
 */
export async function takeFlow(
  env: Env,
  keyring: Keyring,
  ownerId: string,
  state: string,
): Promise<{ flow: OAuthFlow; verifier: string } | null> {
  const row = await env.DB.prepare(
    `SELECT id, owner_id AS ownerId, connector, redirect_uri AS redirectUri, return_to AS returnTo, demo, expires_at AS expiresAt
     FROM oauth_flows WHERE state_hash = ? AND owner_id = ?`,
  )
    .bind(await sha256Hex(state), ownerId)
    .first<Omit<OAuthFlow, "demo"> & { demo: number }>();
  if (!row) return null;
  const verifier = await readSecret(env.DB, keyring, { ownerId, recordId: row.id });
  const [, deleted] = await env.DB.batch([
    deleteSecretStatement(env.DB, row.id),
    env.DB.prepare("DELETE FROM oauth_flows WHERE id = ?").bind(row.id),
  ]);
  // Two callbacks racing with the same state: only the one that deleted the row goes on.
  if (!deleted || deleted.meta.changes === 0 || row.expiresAt < nowIso()) return null;
  return { flow: { ...row, demo: row.demo === 1 }, verifier };
}
