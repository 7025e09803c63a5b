import type { Env, Environment } from "../core/env";
import { guardVault } from "../connections/connection-secrets";
import { lastFour } from "../connections/redaction";
import { newId, nowIso } from "../core/ids";
import { keyringFromEnv } from "../vault/env-keyring";
import { deleteSecretStatement, readSecret, storeSecretStatement } from "../vault/vault-store";

/** A Stripe webhook endpoint of one app environment (never its secret). */
export interface StripeWebhook {
  id: string;
  appId: string;
  environment: Environment;
  secretLast4: string;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS =
  "id, app_id AS appId, environment, secret_last4 AS secretLast4, created_at AS createdAt, updated_at AS updatedAt";

/** Sets (or replaces) the signing secret of an app environment's endpoint; the endpoint keeps its id and URL. */
export async function saveStripeWebhook(
  env: Env,
  ownerId: string,
  appId: string,
  environment: Environment,
  signingSecret: string,
): Promise<StripeWebhook> {
  const existing = await env.DB.prepare(`SELECT ${COLUMNS} FROM stripe_webhooks WHERE app_id = ? AND environment = ?`)
    .bind(appId, environment)
    .first<StripeWebhook>();
  const id = existing?.id ?? newId("whk");
  const now = nowIso();
  const keyring = await guardVault(() => keyringFromEnv(env));
  const seal = await guardVault(() => storeSecretStatement(env.DB, keyring, { ownerId, recordId: id }, signingSecret));
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO stripe_webhooks (id, app_id, environment, secret_last4, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET secret_last4 = excluded.secret_last4, updated_at = excluded.updated_at`,
    ).bind(id, appId, environment, lastFour(signingSecret), existing?.createdAt ?? now, now),
    seal,
  ]);
  return {
    id,
    appId,
    environment,
    secretLast4: lastFour(signingSecret),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}

/** An app's endpoints. */
export async function listStripeWebhooks(db: D1Database, appId: string): Promise<StripeWebhook[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM stripe_webhooks WHERE app_id = ? ORDER BY environment`)
    .bind(appId)
    .all<StripeWebhook>();
  return results;
}

/** An endpoint by its id (the unguessable part of its URL), with its app's owner. */
export async function findStripeWebhook(
  db: D1Database,
  id: string,
): Promise<(StripeWebhook & { ownerId: string }) | null> {
  return db
    .prepare(`SELECT w.id, w.app_id AS appId, w.environment, w.secret_last4 AS secretLast4, w.created_at AS createdAt, w.updated_at AS updatedAt, a.owner_id AS ownerId
              FROM stripe_webhooks w JOIN apps a ON a.id = w.app_id WHERE w.id = ?`)
    .bind(id)
    .first<StripeWebhook & { ownerId: string }>();
}

/** The endpoint's signing secret, opened from the vault. */
export async function stripeWebhookSecret(env: Env, webhook: { id: string; ownerId: string }): Promise<string> {
  const keyring = await guardVault(() => keyringFromEnv(env));
  return guardVault(() => readSecret(env.DB, keyring, { ownerId: webhook.ownerId, recordId: webhook.id }));
}

/** Removes an app environment's endpoint and its secret; false when there was none. */
export async function deleteStripeWebhook(db: D1Database, appId: string, environment: Environment): Promise<boolean> {
  const existing = await db
    .prepare("SELECT id FROM stripe_webhooks WHERE app_id = ? AND environment = ?")
    .bind(appId, environment)
    .first<{ id: string }>();
  if (!existing) return false;
  await db.batch([
    db.prepare("DELETE FROM stripe_webhooks WHERE id = ?").bind(existing.id),
    deleteSecretStatement(db, existing.id),
  ]);
  return true;
}
