import { nowIso } from "../lib/ids";

/** One plain-text mail Kiln sends (sign-in codes to visitors of an app). */
export interface MailMessage {
  /** The app it is about; its owner sees it in the builder's outbox. */
  appId: string | null;
  to: string;
  subject: string;
  text: string;
}

/** A mail as the local outbox shows it. */
export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

/**
 * Sends a mail. With no mail service configured (`npm start`'s embedded defaults) it goes to the local outbox: stored
 * for the builder to show and printed on the console, so signing in works with no mail server.
 */
export async function sendMail(db: D1Database, message: MailMessage): Promise<void> {
  const id = `mail_${crypto.randomUUID()}`;
  await db
    .prepare("INSERT INTO outbox (id, app_id, to_email, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)")
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
