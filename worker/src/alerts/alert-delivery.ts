// Sends one alert to its owner and keeps it for the alerts page: by mail (SMTP or the local outbox) unless they turned mail off, and to their
// webhook, signed, when they set one. A failed channel is recorded on the alert, never thrown: whatever raised
// the alert (a run being recorded, a version being paused) goes on.
import type { Env } from "../core/env";
import { newSecret } from "../core/ids";
import type { Alert, AlertDeliveryStatus, AlertKind, AlertPhase, AlertWebhookBody } from "../core/api-shapes/alerts";
import { sendMail } from "../mail/mailer";
import { type AlertFacts, alertText } from "./alert-messages";
import { alertRoute } from "./alert-settings";
import { SIGNATURE_HEADER, judgeWebhookTarget, signAlertBody, webhookHost } from "./alert-webhook";

/** What delivering needs: the database and vault, mail, Kiln's own URL for links, the webhook switch. */
export type AlertDeliveryEnv = Pick<
  Env,
  "DB" | "KILN_URL" | "KILN_SMTP_URL" | "KILN_MASTER_KEY" | "KILN_MASTER_KEY_PREVIOUS" | "KILN_ALERT_WEBHOOK_LOOPBACK"
>;

/** A webhook receiver gets this long to answer. */
export const WEBHOOK_TIMEOUT_MS = 5_000;

/** Alerts kept per owner for the alerts page; older ones are pruned. */
export const MAX_ALERTS_PER_OWNER = 200;

/** Composes, sends and records one alert for `ownerId`; answers it as the owner's alerts page lists it. */
export async function deliverAlert(
  env: AlertDeliveryEnv,
  ownerId: string,
  facts: AlertFacts,
  now: Date,
): Promise<Alert> {
  const text = alertText(facts);
  const link = `${env.KILN_URL.replace(/\/$/, "")}${text.path}`;
  const id = `alr_${newSecret(10)}`;
  const route = await alertRoute(env, ownerId);

  let email: AlertDeliveryStatus = "off";
  if (route.emailTo !== null) {
    try {
      await sendMail(env, {
        appId: facts.appId,
        to: route.emailTo,
        subject: `[Kiln] ${text.title}`,
        text: `${text.body}\n\nOpen it in Kiln: ${link}\n\nChange where alerts go: ${env.KILN_URL.replace(/\/$/, "")}/alerts`,
      });
      email = "sent";
    } catch (error) {
      console.warn(`alerts: mail for ${id} failed (${(error as Error).name}: ${(error as Error).message})`);
      email = "failed";
    }
  }

  let webhook: AlertDeliveryStatus = "none";
  if (route.webhook !== null) {
    const body: AlertWebhookBody = {
      id,
      kind: facts.kind,
      phase: facts.phase,
      app: facts.appId && facts.appName ? { id: facts.appId, name: facts.appName } : null,
      subject: facts.subject,
      occurrences: facts.occurrences,
      title: text.title,
      text: text.body,
      url: link,
      createdAt: now.toISOString(),
    };
    webhook = await postWebhook(env, route.webhook, JSON.stringify(body), id);
  }

  const alert: Alert = {
    id,
    appId: facts.appId,
    kind: facts.kind,
    subject: facts.subject,
    phase: facts.phase,
    occurrences: facts.occurrences,
    title: text.title,
    body: text.body,
    link,
    email,
    webhook,
    createdAt: now.toISOString(),
  };
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO alerts (id, user_id, app_id, kind, subject, phase, occurrences, title, body, link, email_status, webhook_status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      id,
      ownerId,
      facts.appId ?? "",
      facts.kind,
      facts.subject,
      facts.phase,
      facts.occurrences,
      text.title,
      text.body,
      link,
      email,
      webhook,
      alert.createdAt,
    ),
    env.DB.prepare(
      "DELETE FROM alerts WHERE user_id = ?1 AND id NOT IN (SELECT id FROM alerts WHERE user_id = ?1 ORDER BY created_at DESC LIMIT ?2)",
    ).bind(ownerId, MAX_ALERTS_PER_OWNER),
  ]);
  return alert;
}

/** POSTs the signed JSON; redirects are not followed (they could lead anywhere), and only the host is ever logged. */
async function postWebhook(
  env: AlertDeliveryEnv,
  target: { url: string; secret: string },
  body: string,
  id: string,
): Promise<AlertDeliveryStatus> {
  // Checked again: the rules may have tightened since the URL was saved.
  const verdict = judgeWebhookTarget(target.url, env);
  if (!verdict.ok) {
    console.warn(`alerts: webhook for ${id} refused (${verdict.reason})`);
    return "failed";
  }
  try {
    const response = await fetch(verdict.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Kiln-Alerts/1",
        [SIGNATURE_HEADER]: await signAlertBody(target.secret, body, new Date()),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.ok) return "sent";
    console.warn(`alerts: webhook ${webhookHost(verdict.url)} answered ${response.status} to ${id}`);
  } catch (error) {
    console.warn(`alerts: webhook ${webhookHost(verdict.url)} unreachable for ${id} (${(error as Error).name})`);
  }
  return "failed";
}

/** The alerts most recently sent to `userId`, newest first (the owner's alerts page). */
export async function listAlerts(db: D1Database, userId: string, limit = 50): Promise<Alert[]> {
  const { results } = await db
    .prepare(
      `SELECT id, app_id AS appId, kind, subject, phase, occurrences, title, body, link, email_status AS email,
         webhook_status AS webhook, created_at AS createdAt
       FROM alerts WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    )
    .bind(userId, limit)
    .all<
      Omit<Alert, "kind" | "phase" | "email" | "webhook"> & {
        kind: AlertKind;
        phase: AlertPhase;
        email: AlertDeliveryStatus;
        webhook: AlertDeliveryStatus;
      }
    >();
  return results.map((row) => ({ ...row, appId: row.appId === "" ? null : row.appId }));
}
