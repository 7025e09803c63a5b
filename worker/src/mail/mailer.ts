import { nowIso } from "../core/ids";
import { parseSmtpUrl, sendSmtp } from "./smtp";
import type { OutboxMail } from "../core/api-shapes/access";

/** One plain-text mail Kiln sends (sign-in codes to visitors of an app). */
export interface MailMessage {
  /** The app it is about; its owner sees it in the builder's outbox. */
  appId: string | null;
  to: string;
  subject: string;
  text: string;
}

/** What sending needs: the outbox's database, and the SMTP server when one is configured. */
export interface MailEnv {
  DB: D1Database;
  KILN_SMTP_URL?: string;
}

/**
 * Sends a mail: through the SMTP server of `KILN_SMTP_URL` when it is set (throws SmtpError when the server refuses),
 * else to the local outbox (`npm start`'s embedded defaults): stored for the workspace to show and printed on the
 * console, so signing in works with no mail server.
 */
export async function sendMail(env: MailEnv, message: MailMessage): Promise<void> {
  if (env.KILN_SMTP_URL) {
    await sendSmtp(parseSmtpUrl(env.KILN_SMTP_URL), { to: message.to, subject: message.subject, text: message.text });
    return;
  }
  const id = `mail_${crypto.randomUUID()}`;
  await env.DB.prepare("INSERT INTO outbox (id, app_id, to_email, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(id, message.appId, message.to, message.subject, message.text, nowIso())
    .run();
  console.log(`[outbox] to ${message.to}: ${message.subject}\n${message.text}`);
}

/** The newest mails about an app in the local outbox (at most `limit`). */
export async function listOutbox(db: D1Database, appId: string, limit = 50): Promise<OutboxMail[]> {
  const rows = await db
    .prepare(
      'SELECT id, to_email AS "to", subject, body AS text, created_at AS createdAt FROM outbox WHERE app_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
    )
    .bind(appId, limit)
    .all<OutboxMail>();
  return rows.results;
}
