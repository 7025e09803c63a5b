/** Where one delivery of an event stands. */
export type EventClaim = "new" | "duplicate" | "in_progress";

/**
 * Claims an event for delivery: "new" the first time, "duplicate" once it
 * was delivered (or found no handler), "in_progress" while another delivery
 * of it runs. Stripe redelivers until it gets a 2xx, so this is what keeps
 * an app from charging, emailing or shipping twice.
 */
export async function claimEvent(
  db: D1Database,
  webhookId: string,
  eventId: string,
  eventType: string,
): Promise<EventClaim> {
  const inserted = await db
    .prepare(
      "INSERT INTO stripe_webhook_events (webhook_id, event_id, event_type, status, received_at) VALUES (?, ?, ?, 'processing', ?) ON CONFLICT DO NOTHING",
    )
    .bind(webhookId, eventId, eventType, new Date().toISOString())
    .run();
  if (inserted.meta.changes === 1) return "new";
  const row = await db
    .prepare("SELECT status FROM stripe_webhook_events WHERE webhook_id = ? AND event_id = ?")
    .bind(webhookId, eventId)
    .first<{ status: string }>();
  return row?.status === "processing" ? "in_progress" : "duplicate";
}

/** Records how a claimed event ended. */
export async function completeEvent(
  db: D1Database,
  webhookId: string,
  eventId: string,
  status: "delivered" | "no_handler",
): Promise<void> {
  await db
    .prepare("UPDATE stripe_webhook_events SET status = ? WHERE webhook_id = ? AND event_id = ?")
    .bind(status, webhookId, eventId)
    .run();
}

/** Gives a claim back after a failed delivery, so Stripe's retry is delivered. */
export async function releaseEvent(db: D1Database, webhookId: string, eventId: string): Promise<void> {
  await db
    .prepare("DELETE FROM stripe_webhook_events WHERE webhook_id = ? AND event_id = ? AND status = 'processing'")
    .bind(webhookId, eventId)
    .run();
}
