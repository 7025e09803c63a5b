// Where an owner's alerts go (`alert_settings`), and the webhook's signing secret, sealed in the vault: shown to
// the owner once when it is made, read back only to sign a delivery.
import type { Env } from "../core/env";
import { ApiError } from "../core/errors";
import { newSecret, nowIso } from "../core/ids";
import type { AlertSettings, AlertSettingsInput, AlertSettingsSaved } from "../core/api-shapes/alerts";
import { keyringFromEnv } from "../vault/env-keyring";
import { deleteSecretStatement, readSecret, storeSecretStatement } from "../vault/vault-store";
import { judgeWebhookTarget } from "./alert-webhook";

/** What reading and saving settings needs. */
export type AlertSettingsEnv = Pick<
  Env,
  "DB" | "KILN_MASTER_KEY" | "KILN_MASTER_KEY_PREVIOUS" | "KILN_ALERT_WEBHOOK_LOOPBACK"
>;

/** The vault record of an owner's signing secret. */
function secretRecord(userId: string): string {
  return `alerts:${userId}`;
}

/** The settings as the owner sees them; an owner who never saved any gets email on, no webhook. */
export async function readAlertSettings(db: D1Database, userId: string): Promise<AlertSettings> {
  const row = await db
    .prepare(
      `SELECT u.email, s.email_enabled AS emailEnabled, s.webhook_url AS webhookUrl,
         (SELECT COUNT(*) FROM vault_secrets v WHERE v.record_id = ?2) AS signed
       FROM users u LEFT JOIN alert_settings s ON s.user_id = u.id WHERE u.id = ?1`,
    )
    .bind(userId, secretRecord(userId))
    .first<{ email: string; emailEnabled: number | null; webhookUrl: string | null; signed: number }>();
  if (!row) throw new ApiError(404, "not_found", "That account was not found.");
  return {
    email: row.emailEnabled !== 0,
    emailTo: row.email,
    webhookUrl: row.webhookUrl,
    webhookSigned: row.webhookUrl !== null && row.signed > 0,
  };
}

/**
 * Saves where alerts go. A webhook URL is checked (https, a public host name); a new URL, or `rotateSecret`,
 * makes a new signing secret, returned here once and never again. Removing the URL deletes the secret.
 */
export async function saveAlertSettings(
  env: AlertSettingsEnv,
  userId: string,
  input: AlertSettingsInput,
): Promise<AlertSettingsSaved> {
  const before = await readAlertSettings(env.DB, userId);
  let webhookUrl: string | null = null;
  if (input.webhookUrl !== null && input.webhookUrl.trim() !== "") {
    const verdict = judgeWebhookTarget(input.webhookUrl.trim(), env);
    if (!verdict.ok) throw new ApiError(400, "bad_request", `webhookUrl: ${verdict.reason}.`);
    webhookUrl = verdict.url;
  }
  const statements = [
    env.DB.prepare(
      `INSERT INTO alert_settings (user_id, email_enabled, webhook_url, updated_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (user_id) DO UPDATE SET email_enabled = ?2, webhook_url = ?3, updated_at = ?4`,
    ).bind(userId, input.email ? 1 : 0, webhookUrl, nowIso()),
  ];
  let signingSecret: string | null = null;
  if (webhookUrl === null) {
    statements.push(deleteSecretStatement(env.DB, secretRecord(userId)));
  } else if (webhookUrl !== before.webhookUrl || input.rotateSecret || !before.webhookSigned) {
    signingSecret = `kas_${newSecret(24)}`;
    const keyring = await keyringFromEnv(env);
    const binding = { ownerId: userId, recordId: secretRecord(userId) };
    statements.push(await storeSecretStatement(env.DB, keyring, binding, signingSecret));
  }
  await env.DB.batch(statements);
  return { settings: await readAlertSettings(env.DB, userId), signingSecret };
}

/** Where one owner's alert goes right now: email address (null: email off) and webhook with its secret. */
export interface AlertRoute {
  emailTo: string | null;
  webhook: { url: string; secret: string } | null;
}

/** The owner's route for a delivery; a webhook whose secret cannot be read is left out (the mail still goes). */
export async function alertRoute(env: AlertSettingsEnv, userId: string): Promise<AlertRoute> {
  const settings = await readAlertSettings(env.DB, userId);
  let webhook: AlertRoute["webhook"] = null;
  if (settings.webhookUrl !== null && settings.webhookSigned) {
    try {
      const keyring = await keyringFromEnv(env);
      const secret = await readSecret(env.DB, keyring, { ownerId: userId, recordId: secretRecord(userId) });
      webhook = { url: settings.webhookUrl, secret };
    } catch (error) {
      console.warn(`alerts: the webhook signing secret of ${userId} could not be read (${(error as Error).name})`);
    }
  }
  return { emailTo: settings.email ? settings.emailTo : null, webhook };
}
